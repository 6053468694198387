"""IOC Studio's side of the Python runtime: output capture, the sandbox, the watchdog hook and script sessions.

`install()` runs once, right after Pyodide loads (see src-main/python/runtime.ts).
"""

import asyncio.events

from . import host, output, sandbox


def _guard_handles():
    """Every event-loop callback (a task step, a done callback) runs under the watchdog, and nothing a hook does
    (the watchdog's KeyboardInterrupt, sys.exit()) escapes into the JavaScript event loop."""
    run = asyncio.events.Handle._run

    def guarded_run(handle):
        host.js_host.enter()
        try:
            run(handle)
        except (KeyboardInterrupt, SystemExit) as stop:
            # A task step records it as the task's exception and its supervisor reports it; a plain callback
            # has nobody to tell, so say it here.
            if not isinstance(getattr(handle._callback, '__self__', None), asyncio.Task):
                what = 'ran longer than the watchdog allows' if isinstance(stop, KeyboardInterrupt) else 'called sys.exit()'
                host.log('error', f'an event-loop callback {what} and was stopped; the IOC keeps running')
        finally:
            host.js_host.leave()

    asyncio.events.Handle._run = guarded_run


def install():
    output.install()
    sandbox.install()
    _guard_handles()
