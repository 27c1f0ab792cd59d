"""A loopback TCP proxy that goes silent mid-statement, like a NAT gateway dropping a connection.

Usage: stall-proxy.py TARGET_HOST TARGET_PORT TRIGGER
Prints the port it listens on, then forwards each connection to the target until the client sends
bytes containing TRIGGER (e.g. b"COPY "): from then on that connection forwards nothing either way
while its sockets stay open, and the proxy prints "stalled". Exits when stdin closes.
"""
import asyncio
import sys


async def main():
    target_host, target_port, trigger = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()

    async def serve(client_reader, client_writer):
        server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
        stalled = asyncio.Event()

        async def pipe(reader, writer, inspect):
            try:
                while data := await reader.read(65536):
                    if inspect and trigger in data and not stalled.is_set():
                        stalled.set()
                        print("stalled", flush=True)
                    if stalled.is_set():
                        continue  # swallowed: the peer sees an open, silent connection
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        await asyncio.gather(pipe(client_reader, server_writer, True), pipe(server_reader, client_writer, False))

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # the test closes stdin (or ends) to stop the proxy


asyncio.run(main())
