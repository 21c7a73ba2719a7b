# Runs a reference app on stock uvicorn, on a free port of 127.0.0.1 that it prints as its first
# line of output, until stdin closes or SIGTERM: the differential tests start one per vendor
# (references.ts) and read the port. Test code only, never shipped.
import os
import secrets
import signal
import socket
import string
import sys
import threading

import uvicorn

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def base62(length: int) -> str:
    return "".join(secrets.choice(BASE62) for _ in range(length))


def serve(app) -> None:
    # IPPROTO_TCP as uvicorn's own sockets have it: asyncio sets TCP_NODELAY only on those, and
    # without it every answer would wait ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)

    # The parent closing our stdin (or dying) ends the server, so no reference outlives a test run.
    def watch_stdin() -> None:
        sys.stdin.read()
        server.should_exit = True

    threading.Thread(target=watch_stdin, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: setattr(server, "should_exit", True))
    print(sock.getsockname()[1], flush=True)
    server.run(sockets=[sock])
    os._exit(0)
