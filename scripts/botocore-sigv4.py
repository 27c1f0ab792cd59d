#!/usr/bin/env python3
"""Signs S3 requests with botocore's own SigV4 signer, as the reference for rrr's signer tests.

Reads a JSON list of requests on stdin, writes a JSON list of results on stdout. Each request:
  {"method": "PUT", "scheme": "http", "host": "127.0.0.1:9000", "bucket": "b", "key": "a b+c.txt" | null,
   "addressing": "path" | "virtual", "query": [["prefix", "a/b"], ["uploads", ""]],
   "headers": {"x-amz-server-side-encryption": "AES256"}, "body_base64": "..." | null,
   "unsigned_payload": false, "timestamp": "20130524T000000Z", "region": "us-east-1",
   "credentials": {"access_key": "...", "secret_key": "...", "token": null}}
Each result: {"authorization": "...", "path": "/b/a%20b%2Bc.txt", "canonical_request": "..."}.

The URL path is built the way botocore's REST serializer builds it (bucket label encoded, key a
greedy label with "/" kept), so the test also checks rrr's key encoding, not only the signature.
Secrets are only ever test constants here; nothing is printed but the computed headers.
"""
import base64
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode


def sign(spec):
    fixed = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
    # botocore reads the clock through this module-level function: pin it to the test's date.
    botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed

    host = spec["host"]
    path = ""
    if spec.get("bucket"):
        if spec["addressing"] == "virtual":
            host = f"{spec['bucket']}.{host}"
        else:
            path = "/" + percent_encode(spec["bucket"])
    if spec.get("key") is not None:
        path += "/" + percent_encode(spec["key"], safe="/~")
    if not path:
        path = "/"

    body = base64.b64decode(spec["body_base64"]) if spec.get("body_base64") else b""
    request = AWSRequest(
        method=spec["method"],
        url=f"{spec['scheme']}://{host}{path}",
        headers=dict(spec.get("headers", {})),
        data=body,
        params=[(name, value) for name, value in spec.get("query", [])],
    )
    request.context["client_config"] = Config(
        s3={"payload_signing_enabled": not spec.get("unsigned_payload", False)}
    )
    creds = spec["credentials"]
    credentials = Credentials(creds["access_key"], creds["secret_key"], creds.get("token"))
    signer = botocore.auth.S3SigV4Auth(credentials, "s3", spec["region"])
    signer.add_auth(request)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]  # so the canonical request below is the one that was signed
    return {
        "authorization": authorization,
        "path": path,
        "canonical_request": signer.canonical_request(request),
    }


def main():
    requests = json.load(sys.stdin)
    json.dump([sign(spec) for spec in requests], sys.stdout)


if __name__ == "__main__":
    main()
