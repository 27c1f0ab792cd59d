#!/usr/bin/env python3
"""A MySQL-protocol man in the middle for tests: relays 127.0.0.1:<listen> to <upstream port> and
clears the CLIENT_SSL capability in the server's greeting, as an attacker downgrading a connection
to clear text would. A client that requires TLS must refuse to go on.

    tls-strip-proxy.py LISTEN_PORT UPSTREAM_PORT   (0 = any free port; prints "ready PORT" once
                                                   listening; stops when its stdin closes)
"""
import socket
import sys
import threading

CLIENT_SSL = 0x0800


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def strip_ssl(greeting):
    # Handshake v10: protocol byte, NUL-terminated server version, 4-byte thread id, 8 bytes of
    # scramble, a filler byte, then the lower two capability bytes (little endian).
    end = greeting.index(b"\0", 1)
    at = end + 1 + 4 + 8 + 1
    flags = int.from_bytes(greeting[at:at + 2], "little") & ~CLIENT_SSL
    return greeting[:at] + flags.to_bytes(2, "little") + greeting[at + 2:]


def pipe(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, upstream_port):
    try:
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
        header = read_exact(upstream, 4)
        length = int.from_bytes(header[:3], "little")
        greeting = strip_ssl(read_exact(upstream, length))
        client.sendall(header + greeting)
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)
    except (OSError, ConnectionError, ValueError):
        client.close()


def main():
    listen_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen()
    print(f"ready {server.getsockname()[1]}", flush=True)

    def accept():
        while True:
            client, _ = server.accept()
            threading.Thread(target=serve, args=(client, upstream_port), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    sys.stdin.read()  # the test closes stdin to stop the proxy


if __name__ == "__main__":
    main()
