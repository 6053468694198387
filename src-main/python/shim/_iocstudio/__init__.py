"""IOC Studio's side of the Python runtime: output capture, the sandbox, the watchdog hook and script sessions.

`install()` runs once, right after Pyodide loads (see src-main/python/runtime.ts).
"""

import asyncio.events

from . import host, output, sandbox


def _guard_handles():
    """Every event-loop callback (a task step, a done callback) runs under the watchdog."""
    run = asyncio.events.Handle._run

    def guarded_run(handle):
        host.js_host.enter()
        try:
            run(handle)
        except KeyboardInterrupt:
            # A task step records the interrupt as the task's exception and its supervisor reports it; a plain
            # callback has nobody to tell, so say it here.
            if not isinstance(getattr(handle._callback, '__self__', None), asyncio.Task):
                host.log('error', f'an event-loop callback ran longer than {host.js_host.watchdogLimit()} s and was interrupted')
        finally:
            host.js_host.leave()

    asyncio.events.Handle._run = guarded_run


def install():
    output.install()
    sandbox.install()
    _guard_handles()
