"""The reference's listening socket gives every accepted connection TCP_NODELAY.

asyncio disables Nagle's algorithm only on accepted sockets whose protocol number is IPPROTO_TCP;
a socket made with protocol 0 left it on, and every response (headers, then body, in two writes)
waited ~40 ms for the client's delayed ACK: 45 ms per loopback request instead of under 1 ms, which
made the default run 84 s instead of ~30 s."""
from __future__ import annotations

import asyncio
import socket

from lerconf.refimpl.server import bind


def test_the_listening_socket_names_its_protocol() -> None:
    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


def test_an_accepted_connection_has_nagle_off() -> None:
    async def main() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                peer = transport.get_extra_info("socket")
                accepted.set_result(peer.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        sock = bind("127.0.0.1", 0)
        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
            nodelay = await asyncio.wait_for(accepted, 5)
            writer.close()
        return nodelay

    assert asyncio.run(main()) != 0
