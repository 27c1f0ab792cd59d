#!/usr/bin/env python3
"""moto_server, with SigV4 signatures checked against the request URI as the client sent it.

Same arguments as `moto_server` (e.g. `-H 127.0.0.1 -p 25402`), same INITIAL_NO_AUTH_ACTION_COUNT.

Why: moto 5.x recomputes a request's signature from werkzeug's rebuilt URL, which re-encodes the
path and *decodes* parts of the query (e.g. `%2F` -> `/`, `%C3%BC` -> `ü`). The canonical request
then differs from the one the client signed, so moto answers SignatureDoesNotMatch to correctly
signed requests, boto3's included, for keys containing `+ = & ! * ' ( )` or non-ASCII characters,
and for ListObjectsV2 prefixes containing `/` (e.g. `prefix=exports/users/`). AWS signs the URI as
sent; so does this wrapper, by handing moto's signature check the raw request URI (werkzeug's
RAW_URI). Everything else is moto unchanged.
"""
import sys

from moto.core.authorization import ActionAuthenticatorMixin
from moto.server import main

_original_check = ActionAuthenticatorMixin._authenticate_and_authorize_action


def _check_raw_uri(self, iam_request_cls, resource="*"):
    environ = getattr(getattr(self, "request", None), "environ", None) or {}
    raw_uri = environ.get("RAW_URI")
    if not raw_uri:
        return _original_check(self, iam_request_cls, resource)
    rebuilt_uri = self.uri
    self.uri = raw_uri  # "/bucket/key%2Bname?prefix=a%2Fb": path and query exactly as signed
    try:
        return _original_check(self, iam_request_cls, resource)
    finally:
        self.uri = rebuilt_uri


ActionAuthenticatorMixin._authenticate_and_authorize_action = _check_raw_uri

if __name__ == "__main__":
    sys.exit(main())
