"""A pyepics session driven line by line from the test: each stdin line is one JSON command, each answer one
{"event": "reply", ...} line on stdout. High-level pyepics (PV objects, caget/caput) is what users run; the
interop suite's rawca helpers add what pyepics hides (the ECA status of a put callback, DBE_PROPERTY monitors).

Commands ({"op": ...}):
  info pv                      -> type, count, read, write (after connecting)
  get pv [form] [as_string]    -> value, status, severity, timestamp and, for form "ctrl", units/precision/limits
  caput pv value               -> pyepics caput(wait=True) status, then the value read back
  put pv value [type]          -> WRITE_NOTIFY completion status (rawca); type "string" or "double"
  monitor pv                   -> starts collecting updates (value, status, severity)
  updates pv                   -> the updates collected so far
  property pv                  -> starts a DBR_CTRL_DOUBLE subscription with mask DBE_PROPERTY
  property_updates pv          -> its updates
  watch pv                     -> starts recording connection events (and the native type on connect)
  connection_events pv         -> the events recorded
  wait_access pv write timeout -> waits until write access is `write`; returns what it saw
  wait_type pv type timeout    -> waits until the channel reconnected with native type `type`
  quit                         -> ends the session
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'interop', 'py'))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'support', 'py'))

import epics  # noqa: E402
from epics import ca, dbr  # noqa: E402

import rawca  # noqa: E402
from command_session import serve  # noqa: E402

CTRL_DOUBLE = 7 * rawca.CTRL + rawca.DOUBLE
DBE_PROPERTY = 8

pvs = {}
monitors = {}
properties = {}
channels = {}
connections = {}
lock = threading.Lock()


def pv(name):
    if name not in pvs:
        pvs[name] = epics.PV(name, auto_monitor=False, connection_timeout=5.0)
        pvs[name].wait_for_connection(timeout=5.0)
    return pvs[name]


def channel(name):
    if name not in channels:
        channels[name] = rawca.connect([name])[name]
    return channels[name]


def native_type(p):
    """The channel's native type as pyepics names it ('double', 'long', 'enum'...)."""
    return dbr.Name(ca.field_type(p.chid)).lower() if p.connected else None


def info(cmd):
    p = pv(cmd['pv'])
    return dict(connected=p.connected, type=native_type(p), count=p.count, read=p.read_access,
                write=p.write_access)


def get(cmd):
    p = pv(cmd['pv'])
    form = cmd.get('form', 'time')
    value = p.get(use_monitor=False, as_string=cmd.get('as_string', False), timeout=5.0)
    out = dict(value=value, type=native_type(p), count=p.count)
    if form == 'ctrl':
        ctrl = p.get_ctrlvars(timeout=5.0) or {}
        out.update({k: ctrl.get(k) for k in ('units', 'precision', 'upper_disp_limit', 'lower_disp_limit',
                                            'upper_alarm_limit', 'upper_warning_limit', 'lower_warning_limit',
                                            'lower_alarm_limit', 'upper_ctrl_limit', 'lower_ctrl_limit',
                                            'enum_strs', 'severity', 'status')})
    else:
        times = p.get_timevars(timeout=5.0) or {}
        out.update(status=times.get('status'), severity=times.get('severity'), timestamp=times.get('timestamp'))
    return out


def caput(cmd):
    status = epics.caput(cmd['pv'], cmd['value'], wait=True, timeout=5.0)
    return dict(status=status, readback=epics.caget(cmd['pv'], use_monitor=False, timeout=5.0))


def put(cmd):
    c = channel(cmd['pv'])
    value = cmd['value']
    if cmd.get('type') == 'string' or isinstance(value, str):
        result = rawca.put(c, rawca.STRING, [value], notify=True)
    else:
        values = value if isinstance(value, list) else [value]
        result = rawca.put(c, rawca.DOUBLE, values, notify=True)
    return dict(completion=result.get('completion'), issued=result.get('issued'))


def monitor(cmd):
    name = cmd['pv']
    collected = monitors.setdefault(name, [])

    def on_update(value=None, status=None, severity=None, **_):
        with lock:
            collected.append(dict(value=value, status=status, severity=severity))

    p = epics.PV(name, auto_monitor=True, callback=on_update, form='time')
    p.wait_for_connection(timeout=5.0)
    pvs.setdefault('monitor:' + name, p)
    rawca.wait_until(lambda: len(collected) > 0, timeout=5.0)
    return dict(initial=len(collected))


def updates(cmd):
    time.sleep(cmd.get('settle', 0.3))
    with lock:
        return dict(updates=list(monitors.get(cmd['pv'], [])))


def watch(cmd):
    name = cmd['pv']
    events = connections.setdefault(name, [])

    def on_connect(pvname=None, conn=None, **_):
        with lock:
            events.append(dict(connected=bool(conn)))

    watched = epics.PV(name, auto_monitor=False, connection_callback=on_connect, connection_timeout=5.0)
    watched.wait_for_connection(timeout=5.0)
    pvs['watch:' + name] = watched
    return dict(type=native_type(watched))


def connection_events(cmd):
    with lock:
        return dict(events=list(connections.get(cmd['pv'], [])))


def wait_type(cmd):
    watched = pvs['watch:' + cmd['pv']]
    wanted = cmd['type']
    deadline = time.time() + cmd.get('timeout', 10.0)
    while time.time() < deadline:
        if native_type(watched) == wanted:
            break
        time.sleep(0.02)
    value = watched.get(use_monitor=False, timeout=5.0) if watched.connected else None
    return dict(connected=watched.connected, type=native_type(watched), value=value)


def property_monitor(cmd):
    c = channel(cmd['pv'])
    sub = rawca.subscribe(c, CTRL_DOUBLE, 1, DBE_PROPERTY)
    properties[cmd['pv']] = sub
    sub.wait_count(1, timeout=5.0)
    return dict(initial=len(sub.snapshot()))


def property_updates(cmd):
    time.sleep(cmd.get('settle', 0.3))
    return dict(updates=properties[cmd['pv']].snapshot())


def wait_access(cmd):
    c = channel(cmd['pv'])
    wanted = cmd['write']
    rawca.wait_until(lambda: c.access()['write'] == wanted, timeout=cmd.get('timeout', 5.0))
    return c.access()


COMMANDS = dict(info=info, get=get, caput=caput, put=put, monitor=monitor, updates=updates, watch=watch,
                connection_events=connection_events, wait_type=wait_type, property=property_monitor,
                property_updates=property_updates, wait_access=wait_access)

serve(COMMANDS, emit=rawca.emit)
