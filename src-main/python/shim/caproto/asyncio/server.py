"""caproto.asyncio.server: the async library layer hooks receive, and run() for scripts that import it from here."""

import asyncio

from ..server.server import AsyncLibraryLayer
from ..server.server import run as _run
from .utils import AsyncioQueue


class AsyncioEvent(asyncio.Event):
    """asyncio.Event whose wait() takes a timeout, as threading.Event's does."""

    async def wait(self, timeout=None):
        try:
            await asyncio.wait_for(super().wait(), timeout)
        except asyncio.TimeoutError:
            pass
        return self.is_set()


Event = AsyncioEvent


class AsyncioAsyncLayer(AsyncLibraryLayer):
    name = 'asyncio'
    Event = AsyncioEvent
    library = asyncio
    sleep = staticmethod(asyncio.sleep)
    ThreadsafeQueue = AsyncioQueue


def run(pvdb, *, interfaces=None, log_pv_names=False, startup_hook=None):
    _run(pvdb, interfaces=interfaces, log_pv_names=log_pv_names, startup_hook=startup_hook)


__all__ = ['AsyncioAsyncLayer', 'AsyncioEvent', 'AsyncioQueue', 'Event', 'run']
