"""What Pyodide cannot do in IOC Studio fails with a message that says so and what to do instead.

Hooks run on the server's own thread in WebAssembly: there are no threads or processes, hooks must not open
sockets (the app serves Channel Access itself), and only the standard library is available offline.
"""

import builtins
import socket
import subprocess
import sys
import threading
import time

from . import host


class UnavailableInIocStudio(RuntimeError):
    """Raised by a standard-library feature that IOC Studio's Python cannot provide."""


_THREADS = (
    'threads are not available in IOC Studio: Python runs inside the app on the server\'s own thread '
    '(Pyodide). Put background work in a startup hook that loops with `await async_lib.sleep(...)`, or use '
    '`@pv.scan(period=...)`.'
)
_PROCESSES = (
    'subprocesses are not available in IOC Studio: Python runs inside the app (Pyodide, WebAssembly). Do the '
    'work in Python inside the hook, or run the program outside the app and pass results in through a PV.'
)
_SOCKETS = (
    'sockets are not available to hooks in IOC Studio: the app serves Channel Access itself, and a blocking '
    'socket would stall every client. Talk to devices from a separate program that writes to this IOC\'s PVs.'
)
_SLEEP = (
    'time.sleep() in a hook blocks the whole server (every client waits). Use `await async_lib.sleep(seconds)` '
    '(or `await asyncio.sleep(...)`) instead.'
)


_real_import = builtins.__import__


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    """The built-in import, with a clearer message when a top-level package is missing."""
    try:
        return _real_import(name, globals, locals, fromlist, level)
    except ModuleNotFoundError as missing:
        top = name.partition('.')[0]
        if level != 0 or missing.name != top or top.startswith('_'):
            raise
        error = ModuleNotFoundError(
            f"No module named '{top}': IOC Studio's Python (Pyodide, offline) has only the standard library and "
            f'caproto; packages such as numpy are not bundled. Use lists and the math, statistics and random '
            f'modules instead.',
            name=top,
        )
        # Pyodide would add advice about micropip, which does not apply offline in the app.
        error._PYODIDE_ADDED_NOTE = True
        raise error from None


def _refuse(message):
    def refuse(*args, **kwargs):
        raise UnavailableInIocStudio(message)

    return refuse


_warned_sleep = set()
_real_sleep = time.sleep


def _sleep(seconds):
    """time.sleep in slices, so the watchdog can interrupt it; warns once per hook that it blocks the server."""
    source = host.current_source()
    if source not in _warned_sleep:
        _warned_sleep.add(source)
        host.log('warn', _SLEEP, source)
    deadline = time.monotonic() + seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        _real_sleep(min(remaining, 0.01))


def install():
    threading.Thread.start = _refuse(_THREADS)
    subprocess.Popen.__init__ = _refuse(_PROCESSES)
    socket.socket.__init__ = _refuse(_SOCKETS)
    time.sleep = _sleep
    builtins.__import__ = _import
