"""A pyepics client driven line by line from a test: each stdin line is one JSON command, each answer one
{"event": "reply", ...} JSON line on stdout. This is the client users run (pyepics over Debian's libca).

Commands ({"op": ...}):
  get pv [ctrl] [as_string]       -> value, native type, count, status, severity (and CTRL metadata with ctrl)
  put pv value [wait]             -> pyepics put status and the value read back
  wait pv value [timeout] [tol]   -> polls until the value equals (within tol); returns what it saw last
  monitor pv                      -> starts collecting updates
  updates pv [settle]             -> the updates collected so far
  quit
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'support', 'py'))

import epics  # noqa: E402
from epics import ca, dbr  # noqa: E402

from command_session import serve  # noqa: E402

pvs = {}
monitors = {}
lock = threading.Lock()


def pv(name):
    if name not in pvs:
        pvs[name] = epics.PV(name, auto_monitor=False, connection_timeout=5.0)
    if not pvs[name].wait_for_connection(timeout=5.0):
        raise TimeoutError(f'{name} did not connect')
    return pvs[name]


def native_type(p):
    return dbr.Name(ca.field_type(p.chid)).lower()


def get(cmd):
    p = pv(cmd['pv'])
    value = p.get(use_monitor=False, as_string=cmd.get('as_string', False), timeout=5.0)
    out = dict(value=value, type=native_type(p), count=p.count, write=bool(p.write_access))
    times = p.get_timevars(timeout=5.0) or {}
    out.update(status=times.get('status'), severity=times.get('severity'))
    if cmd.get('ctrl'):
        ctrl = p.get_ctrlvars(timeout=5.0) or {}
        out.update({k: ctrl.get(k) for k in ('units', 'precision', 'upper_disp_limit', 'lower_disp_limit',
                                            'upper_alarm_limit', 'upper_warning_limit', 'lower_warning_limit',
                                            'lower_alarm_limit', 'upper_ctrl_limit', 'lower_ctrl_limit',
                                            'enum_strs')})
    return out


def put(cmd):
    p = pv(cmd['pv'])
    status = p.put(cmd['value'], wait=cmd.get('wait', True), timeout=5.0)
    return dict(status=status, readback=p.get(use_monitor=False, timeout=5.0))


def close_enough(value, wanted, tolerance):
    if isinstance(wanted, (int, float)) and not isinstance(wanted, bool) and isinstance(value, (int, float)):
        return abs(value - wanted) <= tolerance
    return value == wanted


def wait(cmd):
    p = pv(cmd['pv'])
    deadline = time.time() + cmd.get('timeout', 5.0)
    started = time.time()
    while True:
        value = p.get(use_monitor=False, timeout=5.0)
        if hasattr(value, 'tolist'):
            value = value.tolist()
        if close_enough(value, cmd['value'], cmd.get('tol', 0)) or time.time() > deadline:
            return dict(value=value, reached=close_enough(value, cmd['value'], cmd.get('tol', 0)),
                        seconds=time.time() - started)
        time.sleep(0.02)


def monitor(cmd):
    name = cmd['pv']
    collected = monitors.setdefault(name, [])

    def on_update(value=None, status=None, severity=None, **_):
        with lock:
            collected.append(dict(value=value, status=status, severity=severity))

    p = epics.PV(name, auto_monitor=True, callback=on_update, form='time')
    if not p.wait_for_connection(timeout=5.0):
        raise TimeoutError(f'{name} did not connect')
    pvs['monitor:' + name] = p
    deadline = time.time() + 5.0
    while not collected and time.time() < deadline:
        time.sleep(0.01)
    return dict(initial=len(collected))


def updates(cmd):
    time.sleep(cmd.get('settle', 0.3))
    with lock:
        return dict(updates=list(monitors.get(cmd['pv'], [])))


COMMANDS = dict(get=get, put=put, wait=wait, monitor=monitor, updates=updates)

serve(COMMANDS)
