"""`make serve`: the example service under uvicorn on 127.0.0.1, one or more worker processes.

Why not `uvicorn --workers N`: uvicorn 0.54 binds the shared socket of its worker processes without naming
IPPROTO_TCP; asyncio sets TCP_NODELAY only on connections of a socket that says IPPROTO_TCP, so every
keep-alive response waited ~40 ms for the client's delayed ACK (measured: 44 ms per GET with 2 workers,
2 ms with 1; uvicorn issue #3149, open). Here the socket is created with the protocol named and handed
to uvicorn, in both the one-process and the multi-process case."""

from __future__ import annotations

import argparse
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

HOST = "127.0.0.1"


def tcp_socket(host: str, port: int) -> socket.socket:
    """A bound listening-to-be TCP socket whose accepted connections asyncio sets to TCP_NODELAY."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-config", default="service/logging.json")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    try:
        sock = tcp_socket(HOST, args.port)
    except OSError as exc:
        print(f"service.serve: error: cannot listen on {HOST}:{args.port}: {exc.strerror or exc}")
        return 1
    config = uvicorn.Config(
        "service.main:app", host=HOST, port=args.port, workers=args.workers, log_config=args.log_config
    )
    with sock:
        if args.workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
