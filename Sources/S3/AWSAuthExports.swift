// S3's API speaks in AWSAuth's types (credentials, providers, retry policy): importing S3 is enough
// to use them.
@_exported import AWSAuth
