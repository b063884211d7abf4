"""A real TCP proxy between the bot and PostgreSQL or Redis that a test can break.

The machine's servers are shared with other sessions, so tests never stop them: they put
this proxy in front and switch it. `refuse()` closes the listening socket and every
connection (the server looks down: connects get ECONNREFUSED); `blackhole()` keeps accepting
and keeps connections open but forwards nothing either way (the server hangs); `restore()`
forwards again (connections left hanging are cut, as a real network's would time out).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

CHUNK = 65536


@dataclass(eq=False)
class _Link:
    """One client connection and, while forwarding, its upstream connection."""

    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def cut(self) -> None:
        for writer in (self.client, self.upstream):
            if writer is not None:
                writer.transport.abort()


class FaultyProxy:
    """Forwards 127.0.0.1:<port> to host:target_port until told to refuse or blackhole."""

    def __init__(self, host: str, target_port: int) -> None:
        self._host, self._target = host, target_port
        self.port = 0
        self.mode = "forward"
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()

    async def start(self) -> None:
        """Listen on a free port (or on the same port again after `refuse`)."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port,
                                                  reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def refuse(self) -> None:
        """The server is down: nothing listens, every open connection is reset."""
        self.mode = "refuse"
        server, self._server = self._server, None
        if server is not None:
            server.close()
        self._cut_all()  # before waiting: wait_closed waits for open connections too
        if server is not None:
            await server.wait_closed()

    async def blackhole(self) -> None:
        """The server hangs: connections are accepted and kept, nothing is forwarded."""
        self.mode = "blackhole"
        if self._server is None:
            await self.start()

    async def restore(self) -> None:
        """Forward again; connections that hung are cut, new ones go through."""
        hung = self.mode == "blackhole"
        self.mode = "forward"
        if hung:
            self._cut_all()
        if self._server is None:
            await self.start()

    async def close(self) -> None:
        """Stop listening and cut every connection."""
        await self.refuse()

    def _cut_all(self) -> None:
        for link in list(self._links):
            link.cut()
            for task in link.tasks:
                task.cancel()
        self._links.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        link = _Link(writer)
        self._links.add(link)
        try:
            if self.mode != "forward":
                await self._swallow(reader)
                return
            up_reader, link.upstream = await asyncio.open_connection(self._host, self._target)
            link.tasks = [asyncio.create_task(self._pipe(reader, link.upstream)),
                          asyncio.create_task(self._pipe(up_reader, writer))]
            await asyncio.gather(*link.tasks, return_exceptions=True)
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            self._links.discard(link)
            link.cut()

    async def _swallow(self, reader: asyncio.StreamReader) -> None:
        """Read and drop what the client sends until it gives up."""
        while await reader.read(CHUNK):
            pass

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy one direction; in blackhole mode bytes are read and dropped."""
        while data := await reader.read(CHUNK):
            if self.mode != "forward":
                continue
            writer.write(data)
            await writer.drain()
        with contextlib.suppress(OSError):
            writer.close()


@asynccontextmanager
async def faulty_proxy(host: str, port: int) -> AsyncIterator[FaultyProxy]:
    """A started proxy to host:port, closed afterwards."""
    proxy = FaultyProxy(host, port)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()
