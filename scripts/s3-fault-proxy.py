#!/usr/bin/env python3
"""A loopback HTTP proxy in front of an S3 server that injects the failures S3 really answers with,
for scripts/soak (test-only):

    s3-fault-proxy.py UPSTREAM_URL [--port 0] [--seed N] [--error-rate R] [--slowdown-rate R]
                      [--drop-rate R] [--stall-rate R] [--stall-seconds MIN:MAX]

Each request is read whole, then one draw from a generator seeded with --seed decides:
  error     answers 500 InternalError without forwarding ("We encountered an internal error")
  slowdown  answers 503 SlowDown without forwarding ("Please reduce your request rate")
  drop      resets the connection without an answer: half the time before forwarding, half the time
            after the upstream did the work (a PUT stored, a DELETE done, and the client never knows)
  stall     waits MIN..MAX seconds (default 2:8), then forwards
otherwise the request goes to the upstream unchanged (Host header included, so SigV4 signatures
still match) and the answer comes back. Prints "ready PORT" once listening; logs one line per
fault ("fault KIND METHOD PATH") and, on exit, "faults error=N slowdown=N drop=N stall=N
forwarded=N". SIGUSR1 turns the faults off, SIGUSR2 on again.
"""
import argparse
import http.client
import http.server
import random
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse

KINDS = ("error", "slowdown", "drop", "stall")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class Faults:
    def __init__(self, seed, rates, stall):
        self.random = random.Random(seed)
        self.rates = rates
        self.stall = stall
        self.enabled = True
        self.counts = dict.fromkeys(KINDS + ("forwarded",), 0)
        self.lock = threading.Lock()

    def draw(self):
        """The fault for the request at hand (None: forward it), and a second draw for its details."""
        with self.lock:
            roll, detail = self.random.random(), self.random.random()
            if not self.enabled:
                return None, detail
            for kind in KINDS:
                if roll < self.rates[kind]:
                    self.counts[kind] += 1
                    return kind, detail
                roll -= self.rates[kind]
            return None, detail

    def count_forwarded(self):
        with self.lock:
            self.counts["forwarded"] += 1

    def summary(self):
        with self.lock:
            return "faults " + " ".join(f"{kind}={count}" for kind, count in self.counts.items())


def log(line):
    print(time.strftime("%H:%M:%S ") + line, flush=True)


def s3_error(code, message):
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
            f'<RequestId>soak-fault-proxy</RequestId></Error>').encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, and Expect: 100-continue is answered
    faults: Faults
    upstream: urllib.parse.SplitResult

    def log_message(self, *args):  # one line per fault only
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def reset(self):
        """Ends the connection with a TCP reset and no answer."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def answer(self, status, headers, body):
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)
        self.wfile.flush()

    def forward(self, body):
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=300)
        try:
            connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() not in ("content-length", "expect"):
                    connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            data = response.read()
            headers = [(n, v) for n, v in response.getheaders() if n.lower() not in HOP_BY_HOP]
            if self.command != "HEAD":
                headers = [(n, v) for n, v in headers if n.lower() != "content-length"] + [("Content-Length", str(len(data)))]
            return response.status, headers, data
        finally:
            connection.close()

    def handle_any(self):
        body = self.read_body()
        kind, detail = self.faults.draw()
        if kind:
            log(f"fault {kind} {self.command} {self.path.split('?')[0]}")
        if kind == "error":
            data = s3_error("InternalError", "We encountered an internal error. Please try again.")
            return self.answer(500, [("Content-Type", "application/xml"), ("Content-Length", str(len(data)))], data)
        if kind == "slowdown":
            data = s3_error("SlowDown", "Please reduce your request rate.")
            return self.answer(503, [("Content-Type", "application/xml"), ("Content-Length", str(len(data)))], data)
        if kind == "drop" and detail < 0.5:
            return self.reset()
        if kind == "stall":
            low, high = self.faults.stall
            time.sleep(low + (high - low) * detail)
        try:
            status, headers, data = self.forward(body)
        except (OSError, http.client.HTTPException) as error:
            log(f"upstream failed: {error}")
            return self.reset()
        self.faults.count_forwarded()
        if kind == "drop":
            return self.reset()
        self.answer(status, headers, data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("upstream")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    for kind in KINDS:
        parser.add_argument(f"--{kind}-rate", type=float, default=0.0)
    parser.add_argument("--stall-seconds", default="2:8")
    arguments = parser.parse_args()
    rates = {kind: getattr(arguments, f"{kind}_rate") for kind in KINDS}
    if any(not 0 <= rate <= 1 for rate in rates.values()) or sum(rates.values()) > 1:
        parser.error("each rate is between 0 and 1, and together at most 1")
    low, high = (float(part) for part in arguments.stall_seconds.split(":"))
    Handler.faults = Faults(arguments.seed, rates, (low, high))
    Handler.upstream = urllib.parse.urlsplit(arguments.upstream)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    server.daemon_threads = True

    def switch(on):
        def handler(*_):
            Handler.faults.enabled = on
            log("faults " + ("on" if on else "off"))
        return handler

    def stop(*_):
        log(Handler.faults.summary())
        sys.stdout.flush()
        raise SystemExit(0)

    signal.signal(signal.SIGUSR1, switch(False))
    signal.signal(signal.SIGUSR2, switch(True))
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log(f"ready {server.server_address[1]}")
    server.serve_forever()


if __name__ == "__main__":
    main()
