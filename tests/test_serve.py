"""`make serve` (service/serve.py): uvicorn with TCP_NODELAY on every connection, one or more workers."""

from __future__ import annotations

import http.client
import statistics
import time
from urllib.parse import urlsplit

from service.serve import tcp_socket
from tests.live_server import accepted_connection_nodelay, running_server


def test_connections_of_the_served_socket_send_without_waiting_for_acks() -> None:
    assert accepted_connection_nodelay(tcp_socket("127.0.0.1", 0)) != 0


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
