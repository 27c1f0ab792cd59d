#!/usr/bin/env python3
"""Create an IAM user with an allow-all policy and an access key on a fresh moto server
(its first three requests go unsigned), then, signed with that key: a bucket, a role that STS
AssumeRole hands out credentials for (moto grants an assumed role its role's policies), a Redshift
cluster for GetClusterCredentials, and a Secrets Manager secret holding the emulator's login.
Prints "ACCESS_KEY_ID SECRET_ACCESS_KEY" on stdout for scripts/stack."""
import json
import sys

import boto3

endpoint, bucket = sys.argv[1], sys.argv[2]
db_user, db_password = sys.argv[3], sys.argv[4]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="rrr")
iam.put_user_policy(UserName="rrr", PolicyName="allow-all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="rrr")["AccessKey"]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
s3.create_bucket(Bucket=bucket)
signed = dict(endpoint_url=endpoint, region_name="us-east-1",
              aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
iam = boto3.client("iam", **signed)
iam.create_role(RoleName="rrr-test-role", AssumeRolePolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))
iam.put_role_policy(RoleName="rrr-test-role", PolicyName="allow-all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
boto3.client("redshift", **signed).create_cluster(
    ClusterIdentifier="rrr-test-cluster", NodeType="dc2.large", MasterUsername=db_user,
    MasterUserPassword="Unused-Password-1", DBName="dev")
boto3.client("secretsmanager", **signed).create_secret(
    Name="rrr-test/redshift", SecretString=json.dumps({"username": db_user, "password": db_password}))
print(key["AccessKeyId"], key["SecretAccessKey"])
