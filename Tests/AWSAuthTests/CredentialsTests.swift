import Foundation
import Testing

@testable import AWSAuth

@Suite("AWS credentials")
struct CredentialsTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzSESSIONTOKENEXAMPLE"

    @Test("every textual form redacts the secret and the token")
    func redacted() {
        let credentials = AWSCredentials(accessKeyID: "AKIAEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        var dumped = ""
        dump(credentials, to: &dumped)
        let forms = [
            credentials.description, credentials.debugDescription, "\(credentials)",
            String(reflecting: credentials), dumped, "\([credentials])",
        ]
        for form in forms {
            #expect(!form.contains(Self.secret))
            #expect(!form.contains(Self.token))
            #expect(form.contains("AKIAEXAMPLE"))
            #expect(form.contains("<redacted>"))
        }
    }

    @Test("RRR_AWS_* wins over AWS_*, and a family is used whole")
    func environmentOrder() throws {
        let both = [
            "RRR_AWS_ACCESS_KEY_ID": "RRRID", "RRR_AWS_SECRET_ACCESS_KEY": "rrr-secret",
            "AWS_ACCESS_KEY_ID": "AWSID", "AWS_SECRET_ACCESS_KEY": "aws-secret", "AWS_SESSION_TOKEN": "aws-token",
        ]
        let fromRRR = try #require(try AWSCredentials.fromEnvironment(both))
        #expect(fromRRR == AWSCredentials(accessKeyID: "RRRID", secretAccessKey: "rrr-secret", sessionToken: nil))

        let standard = ["AWS_ACCESS_KEY_ID": "AWSID", "AWS_SECRET_ACCESS_KEY": "aws-secret", "AWS_SESSION_TOKEN": "aws-token", "RRR_AWS_ACCESS_KEY_ID": ""]
        let fromAWS = try #require(try AWSCredentials.fromEnvironment(standard))
        #expect(fromAWS == AWSCredentials(accessKeyID: "AWSID", secretAccessKey: "aws-secret", sessionToken: "aws-token"))

        #expect(try AWSCredentials.fromEnvironment([:]) == nil)
    }

    @Test("a half-set family is an error naming the missing variable, without the secret")
    func halfSet() {
        let error = #expect(throws: AWSAuthError.self) {
            try AWSCredentials.fromEnvironment(["RRR_AWS_SECRET_ACCESS_KEY": Self.secret])
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.description.contains("RRR_AWS_ACCESS_KEY_ID") == true)
        #expect(error?.description.contains(Self.secret) == false)
    }
}
