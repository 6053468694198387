"""The one place the Python side talks to IOC Studio's TypeScript host (the `_iocstudio_js` module it registers).

Also holds the context of the code that runs: which PV a hook belongs to (`source`, used to label print and
logging output) and which loaded script (`session`) it is part of.
"""

import contextvars
import logging

import _iocstudio_js as js_host
from js import Object
from pyodide.ffi import to_js



class Running(tuple):
    """What is running: the script session (or None) and the source its output is labelled with."""

    __slots__ = ()

    def __new__(cls, session, source):
        return tuple.__new__(cls, (session, source))

    @property
    def session(self):
        return self[0]

    @property
    def source(self):
        return self[1]


# One context variable (hooks set it on every call): asyncio tasks inherit it, so a task started from a hook
# still knows its PV.
running_var = contextvars.ContextVar('iocstudio_running', default=Running(None, 'python'))

_LEVELS = {logging.DEBUG: 'debug', logging.INFO: 'info', logging.WARNING: 'warn'}


def level_name(levelno):
    if levelno >= logging.ERROR:
        return 'error'
    return _LEVELS.get(levelno, 'debug' if levelno < logging.INFO else 'info' if levelno < logging.WARNING else 'warn')


def log(level, message, source=None):
    js_host.log(level, source or running_var.get().source, message)


def current_source():
    return running_var.get().source


def current_session():
    return running_var.get().session


def set_log_level(level):
    logging.getLogger().setLevel(level)


def js_object(mapping):
    """A Python dict as a plain JavaScript object (nested dicts too)."""
    return to_js(mapping, dict_converter=Object.fromEntries)


def write_metadata(pv, metadata):
    """caproto metadata keywords (units, limits, enum_strings...) applied to the PV's spec."""
    error = js_host.writeMetadata(pv, js_object(metadata))
    if error is not None:
        from caproto import CaprotoValueError

        raise CaprotoValueError(error)


def spec_metadata(pv, name):
    """One caproto metadata keyword read back from the PV's spec (None when unset)."""
    return js_host.specMetadata(pv, name)


def scan_period(instance):
    """Seconds between scans as the PV's .SCAN field says (0 for Passive, Event and I/O Intr)."""
    pv = instance._pv
    if pv is None:
        return 0
    setting = js_host.scanSetting(pv)
    custom = getattr(instance, '_custom_scan', None)
    if custom is not None and custom[0] == setting.index:
        return custom[1]
    return setting.periodSeconds or 0


def set_initial_scan_period(instance, period):
    pv = instance._pv
    if pv is not None and not js_host.setScanPeriod(pv, float(period)):
        # caproto takes any initial period, the .SCAN menu does not: keep it until a client picks a menu entry.
        instance._custom_scan = (js_host.scanSetting(pv).index, float(period))


def current_queue_recorder():
    session = running_var.get().session
    return session.record_queue if session is not None else None


def report_failure(channel, kind, error):
    """A failure the shim handled itself (a scan exception): tell the host without logging it again."""
    session = running_var.get().session
    if session is not None:
        session.report_failure(channel, kind, f'{type(error).__name__}: {error}', error)


def register_run(pvdb, **options):
    session = running_var.get().session
    if session is None:
        from caproto import CaprotoRuntimeError

        raise CaprotoRuntimeError('run() can only be called while IOC Studio loads a script, not from a hook')
    session.register(pvdb, **options)
