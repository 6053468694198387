"""One loaded caproto script: runs it, describes its PVs to the host, runs their hooks, starts and stops its tasks.

The host (src-main/python/python-ioc.ts) drives a Session: execute() -> describe() -> attach() -> start(), and
for a reload or unload, stop() -> close(). Putter and getter hooks come in through call_putter/call_getter.
After execute(), studio_settings() and epics_environment() report the script's IOC_STUDIO dict and the EPICS
variables its os.environ (its own: see environment.py) holds.

Hot path: a hook runs as an eager asyncio Task, so a hook that never suspends finishes inside the call and its
result goes straight back (no event-loop round trip); a hook that awaits something becomes an ordinary task and
the host gets a JavaScript Promise of its result.
"""

import asyncio
import builtins
import contextvars
import linecache
import os
import sys
import types
import weakref

from js import Object, Promise
from pyodide.ffi import create_once_callable, to_js

from caproto import AlarmSeverity, AlarmStatus, SkipWrite
from caproto._data import ChannelData
from caproto.asyncio.server import AsyncioAsyncLayer
from caproto.server.server import PvpropertyData

from . import environment, host
from .tracebacks import script_line, user_traceback

# The module-level dict of an exported script with the settings caproto has no argument for.
STUDIO_SETTINGS_NAME = 'IOC_STUDIO'

_loop = asyncio.get_event_loop()


class ScriptExit(Exception):
    """The script ended without handing a PV database to run()."""


class Session:
    def __init__(self, filename, record_queue=None, report_failure=None):
        self.filename = filename
        # JS function (name, op, depth, summary) feeding the traffic recorder, or None.
        self._record_queue_js = record_queue
        # JS function (pv, hook, message, traceback, line) told about every hook failure, or None.
        self._report_failure_js = report_failure
        self.pvdb = None
        self.instances = []
        self.startup_hook = None
        self.log_pv_names = False
        self._tasks = set()
        # Every task created while this script's code runs (asyncio.create_task in a hook, say): a reload or a
        # stop cancels them too, so an old script leaves nothing running.
        self.owned_tasks = weakref.WeakSet()
        self._queue_names = set()
        self._started = False
        self._studio_settings = None
        # os.environ while this script's code runs.
        self.environ = environment.fresh({})
        self._context = contextvars.copy_context()
        self._context.run(host.running_var.set, host.Running(self, filename))

    # -- loading --------------------------------------------------------------------------------------------

    def execute(self, source, argv, variables=None):
        """Runs the script as __main__, its os.environ the runtime's with `variables` (a JS object) on top. Returns
        None, or a JS object {error, traceback} when it failed."""
        self.environ = environment.fresh(variables.to_py() if variables is not None else {})
        return self._context.run(self._execute, source, list(argv))

    def _execute(self, source, argv):
        module = types.ModuleType('__main__')
        module.__file__ = self.filename
        module.__builtins__ = builtins
        linecache.cache[self.filename] = (len(source), None, source.splitlines(True), self.filename)
        saved_main, saved_argv = sys.modules.get('__main__'), sys.argv
        sys.modules['__main__'] = module
        sys.argv = [self.filename, *argv]
        try:
            code = compile(source, self.filename, 'exec')
            exec(code, module.__dict__)
            if self.pvdb is None:
                raise ScriptExit(
                    'the script finished without calling run(pvdb, ...): IOC Studio serves the PVs that run() '
                    'receives (usually `run(ioc.pvdb, **run_options)` under `if __name__ == "__main__":`)'
                )
        except SystemExit as stop:
            if self.pvdb is None:
                return self._failure(ScriptExit(f'the script exited (sys.exit({stop.code!r})) before calling run()'))
        except BaseException as error:
            return self._failure(error)
        finally:
            self._studio_settings = module.__dict__.get(STUDIO_SETTINGS_NAME)
            sys.argv = saved_argv
            if saved_main is not None:
                sys.modules['__main__'] = saved_main
        return None

    def _failure(self, error):
        if isinstance(error, KeyboardInterrupt):
            message = f'the script ran longer than {host.js_host.watchdogLimit()} s and was interrupted'
        else:
            message = f'{type(error).__name__}: {error}'
        trace = user_traceback(error, self.filename)
        host.log('error', f'{message}\n{trace}'.rstrip(), self.filename)
        return host.js_object({'error': message, 'traceback': trace})

    def register(self, pvdb, *, module_name, interfaces, log_pv_names, startup_hook):
        from caproto import CaprotoRuntimeError

        if self.pvdb is not None:
            raise CaprotoRuntimeError('run() was called twice: IOC Studio serves one PV database per script')
        for name, channel in pvdb.items():
            if not isinstance(channel, ChannelData):
                raise CaprotoRuntimeError(f'pvdb[{name!r}] is a {type(channel).__name__}, not a caproto ChannelData')
        if not module_name.startswith('caproto.asyncio'):
            host.log('warn', f'{module_name} is not available: IOC Studio runs the IOC on asyncio')
        if interfaces and list(interfaces) != ['0.0.0.0']:
            host.log('info', f'interfaces {list(interfaces)} ignored: IOC Studio\'s server settings decide where it listens')
        self.pvdb = dict(pvdb)
        self.startup_hook = startup_hook
        self.log_pv_names = log_pv_names

    def studio_settings(self):
        """The script's IOC_STUDIO dict as plain JavaScript, or None when it has none."""
        if self._studio_settings is None:
            return None
        try:
            return to_js(self._studio_settings, dict_converter=Object.fromEntries, create_pyproxies=False)
        except Exception as error:
            raise TypeError(f'{STUDIO_SETTINGS_NAME} holds something other than plain data: {error}') from None

    def epics_environment(self):
        """The EPICS_* variables of the script's os.environ (what caproto's server would read)."""
        decode_key, decode_value = os.environ.decodekey, os.environ.decodevalue
        variables = {decode_key(key): decode_value(value) for key, value in self.environ.items()}
        return host.js_object({key: value for key, value in variables.items() if key.startswith('EPICS_')})

    def describe(self):
        """The PVs to define, in pvdb order: a JS array of descriptions (see pv-spec.ts)."""
        descriptions = []
        self.instances = []
        for name, channel in self.pvdb.items():
            channel.pvname = name
            self.instances.append(channel)
            descriptions.append(channel.describe())
        return host.js_object(descriptions)

    def attach(self, pvs):
        """Binds each instance to its IocPv (a JS array in describe() order)."""
        for channel, pv in zip(self.instances, pvs):
            channel._attach(pv)
            channel._running = host.Running(self, channel.pvname)

    # -- hooks ----------------------------------------------------------------------------------------------

    def call_putter(self, index, value):
        """Runs the putter of instance `index`; returns undefined (accept), SKIP, a failure, a value or a Promise."""
        channel = self.instances[index]
        value = channel._from_host(value)
        return self._run_hook(channel, 'putter', channel.putter(channel, value), self._putter_result)

    def call_getter(self, index):
        channel = self.instances[index]
        return self._run_hook(channel, 'getter', channel.getter(channel), self._getter_result)

    def _run_hook(self, channel, kind, coroutine, result_of):
        running = host.running_var.set(channel._running)
        try:
            try:
                task = asyncio.Task(coroutine, loop=_loop, eager_start=True)
            except BaseException as error:
                # The watchdog's KeyboardInterrupt escapes an eager task's first step.
                return self._hook_failed(channel, kind, error)
            if task.done():
                return result_of(channel, kind, task)
            return _promise(task, lambda done: result_of(channel, kind, done))
        finally:
            host.running_var.reset(running)

    def _putter_result(self, channel, kind, task):
        try:
            result = task.result()
        except SkipWrite:
            return host.js_host.SKIP
        except BaseException as error:
            return self._hook_failed(channel, kind, error)
        if result is None:
            return None
        if result is SkipWrite:
            return host.js_host.SKIP
        return channel._to_host(result)

    def _getter_result(self, channel, kind, task):
        try:
            result = task.result()
        except BaseException as error:
            return self._hook_failed(channel, kind, error)
        return None if result is None else channel._to_host(result)

    def _hook_failed(self, channel, kind, error):
        channel._last_failure = error if isinstance(error, Exception) else None
        if isinstance(error, KeyboardInterrupt):
            message = f'{kind} ran longer than {host.js_host.watchdogLimit()} s and was interrupted by the watchdog'
        elif isinstance(error, asyncio.CancelledError):
            message = f'{kind} was cancelled'
        else:
            message = f'{type(error).__name__}: {error}'
        self.report_failure(channel, kind, message, error, headline=f'{kind} of {channel.pvname} failed: {message}')
        return host.js_host.failure(message)

    # -- tasks ----------------------------------------------------------------------------------------------

    def start(self):
        """Starts __ainit__, then every startup hook, then every scan loop, each its own task (caproto's order)."""
        if self._started:
            return
        self._started = True
        async_lib = AsyncioAsyncLayer()
        if self.startup_hook is not None:
            self._spawn(self.startup_hook(async_lib), None, 'startup hook')
        hooked = [channel for channel in self.instances if isinstance(channel, PvpropertyData)]
        for channel in hooked:
            if channel.startup is not None:
                self._spawn(channel.server_startup(async_lib), channel, 'startup')
        for channel in hooked:
            if channel.scan is not None:
                self._spawn(channel.server_scan(async_lib), channel, 'scan')
        if self.log_pv_names:
            host.log('info', 'PVs available:\n' + '\n'.join(self.pvdb), self.filename)

    def _spawn(self, coroutine, channel, kind):
        context = self._context.copy()
        if channel is not None:
            context.run(host.running_var.set, host.Running(self, channel.pvname))
        task = _loop.create_task(coroutine, context=context)
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._task_finished(done, channel, kind))
        return task

    def _task_finished(self, task, channel, kind):
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            return
        if kind == 'scan' and isinstance(error, Exception):
            # stop_on_error: the scan wrapper already logged, reported and alarmed.
            return
        if isinstance(error, KeyboardInterrupt):
            message = f'{kind} ran longer than {host.js_host.watchdogLimit()} s and was interrupted by the watchdog'
            headline = message
            status = AlarmStatus.TIMEOUT
        elif isinstance(error, SystemExit):
            message = f'{kind} called sys.exit({error.code!r}); the IOC keeps running (stop it from the app)'
            headline = message
            status = AlarmStatus.SOFT
        else:
            message = f'{type(error).__name__}: {error}'
            headline = f'{kind} failed: {message}'
            status = AlarmStatus.SCAN if kind == 'scan' else AlarmStatus.SOFT
        # Unlike caproto, a failing startup hook does not stop the IOC: its PV goes into alarm, the rest runs on.
        self.report_failure(channel, kind, message, error, headline=headline)
        if channel is not None and channel._pv is not None:
            channel._pv.setAlarm(int(status), int(AlarmSeverity.MAJOR_ALARM))

    def stop(self, timeout):
        """Cancels the tasks, then runs the shutdown hooks. Returns a Promise resolved when done."""
        return _promise(_loop.create_task(self._stop(timeout), context=self._context.copy()), lambda _: None)

    async def _stop(self, timeout):
        current = asyncio.current_task()
        running = [task for task in {*self._tasks, *self.owned_tasks} if task is not current and not task.done()]
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running, timeout=timeout)
        async_lib = AsyncioAsyncLayer()
        shutdowns = [
            self._spawn(channel.server_shutdown(async_lib), channel, 'shutdown')
            for channel in self.instances
            if isinstance(channel, PvpropertyData) and channel.shutdown is not None
        ]
        if shutdowns:
            _, pending = await asyncio.wait(shutdowns, timeout=timeout)
            for task in pending:
                task.cancel()
                host.log('warn', f'a shutdown hook did not finish within {timeout} s and was cancelled', self.filename)

    def close(self):
        """Detaches every instance: a lingering coroutine that writes gets a clear error, not a stale PV."""
        for channel in self.instances:
            channel._detach()
        self.instances = []
        self.pvdb = None

    def report_failure(self, channel, kind, message, error, headline=None):
        """A hook failed: log it (when `headline` is given) and tell the host, with the script's frames only."""
        trace = user_traceback(error, self.filename)
        if headline is not None:
            source = channel.pvname if channel is not None else self.filename
            host.log('error', f'{headline}\n{trace}'.rstrip(), source)
        if self._report_failure_js is not None:
            hook = '__ainit__' if channel is None else kind
            pv = channel.pvname if channel is not None else None
            self._report_failure_js(pv, hook, message, trace, script_line(error, self.filename))

    def record_queue(self, name, op, depth, summary):
        self._queue_names.add(name)
        if self._record_queue_js is not None:
            self._record_queue_js(name, op, depth, summary)

    def queue_names(self):
        """Names of the queues this script used (the host forgets them when the script goes)."""
        return host.js_object(sorted(self._queue_names))


def _promise(task, result_of):
    """A JS Promise settled with result_of(task) when the task is done."""

    def executor(resolve, reject):
        def settle(done):
            try:
                resolve(result_of(done))
            except BaseException as error:
                reject(f'{type(error).__name__}: {error}')

        task.add_done_callback(settle)

    return Promise.new(create_once_callable(executor))
