"""AsyncioQueue, caproto's ThreadsafeQueue for asyncio, instrumented for IOC Studio's traffic view.

There are no threads in IOC Studio's Python (Pyodide runs on the server's own thread), so the thread side of the
queue is limited: put() enqueues at once, and get(), which would block the only thread forever, raises.
"""

import asyncio
import itertools

from _iocstudio import host as _host

_SUMMARY_LENGTH = 200
_numbers = itertools.count(1)


class AsyncioQueue:
    """An asyncio.Queue with caproto's thread-side/loop-side API; every put and get is recorded."""

    def __init__(self, maxsize=0):
        self._queue = asyncio.Queue(maxsize)
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError as ex:
            raise RuntimeError('AsyncioQueue must be instantiated in the event loop it is to be used in.') from ex
        self.name = f'queue{next(_numbers)}@{_host.current_source()}'
        self._named = False
        self._recorder = _host.current_queue_recorder()

    def _take_name(self, name):
        # The first attribute a queue is stored in (self.put_queue = ...) names it.
        if not self._named:
            self.name = name
            self._named = True

    def _record(self, op, value):
        if self._recorder is not None:
            summary = repr(value)
            if len(summary) > _SUMMARY_LENGTH:
                summary = summary[: _SUMMARY_LENGTH - 1] + '…'
            self._recorder(self.name, op, self._queue.qsize(), summary)

    async def async_get(self):
        value = await self._queue.get()
        self._record('get', value)
        return value

    async def async_put(self, value):
        await self._queue.put(value)
        self._record('put', value)

    def put(self, value):
        """Enqueue without waiting (caproto's thread-side put)."""
        try:
            self._queue.put_nowait(value)
        except asyncio.QueueFull:
            # A bounded queue that is full: finish the put in the background, as caproto's put() does.
            self._loop.create_task(self.async_put(value))
            return
        self._record('put', value)

    def get(self):
        raise RuntimeError(
            'ThreadsafeQueue.get() blocks the calling thread until an item arrives, but IOC Studio runs hooks on the '
            "server's only thread (Pyodide has no threads), so it would stop the server. Use "
            '`value = await queue.async_get()` inside a hook instead.'
        )

    def __repr__(self):
        return f'<AsyncioQueue {self.name!r} size={self._queue.qsize()}>'
