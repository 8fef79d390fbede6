"""`make serve` (service/serve.py): uvicorn with TCP_NODELAY on every connection, one or more workers."""

from __future__ import annotations

import asyncio
import http.client
import socket
import statistics
import time
from urllib.parse import urlsplit

from service.serve import tcp_socket
from tests.live_server import running_server


def test_connections_of_the_served_socket_send_without_waiting_for_acks() -> None:
    """asyncio turns Nagle off (TCP_NODELAY) only on connections of a socket created as IPPROTO_TCP."""

    async def accepted_nodelay() -> int:
        sock = tcp_socket("127.0.0.1", 0)
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
            value = await asyncio.wait_for(seen, 10)
            writer.close()
        return value

    assert asyncio.run(accepted_nodelay()) != 0


def test_two_workers_answer_keep_alive_requests_without_the_delayed_ack_wait() -> None:
    """With uvicorn's own `--workers 2` every keep-alive response after the first took >= 40 ms (Nagle
    waiting for the client's delayed ACK; 44 ms measured); served by service.serve it is a few ms."""
    with running_server(workers=2) as base_url:
        url = urlsplit(base_url)
        connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
        durations = []
        for _ in range(15):
            started = time.perf_counter()
            connection.request("GET", "/health")
            response = connection.getresponse()
            response.read()
            durations.append(time.perf_counter() - started)
            assert response.status == 200
        connection.close()
    assert statistics.median(durations[1:]) < 0.035, [round(d * 1000, 1) for d in durations]
