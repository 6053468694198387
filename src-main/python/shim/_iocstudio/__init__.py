"""IOC Studio's side of the Python runtime: output capture, the sandbox, the watchdog hook, script sessions and
their own os.environ.

`install()` runs once, right after Pyodide loads (see src-main/python/runtime.ts).
"""

import asyncio.events

from . import environment, host, output, sandbox


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


def _own_tasks():
    """Tasks belong to the script whose code created them (see Session.owned_tasks)."""
    loop = asyncio.get_event_loop()
    # Wraps the loop's create_task rather than setting a task factory: Pyodide's WebLoop.create_task breaks
    # with a factory (it calls asyncio.tasks._set_task_name, gone in Python 3.14).
    create_task = loop.create_task

    def owning_create_task(coroutine, **options):
        task = create_task(coroutine, **options)
        context = options.get('context')
        running = context.get(host.running_var) if context is not None else host.running_var.get()
        if running is not None and running.session is not None:
            running.session.owned_tasks.add(task)
        return task

    loop.create_task = owning_create_task


def install():
    output.install()
    sandbox.install()
    environment.install()
    _guard_handles()
    _own_tasks()
