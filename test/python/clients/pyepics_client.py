"""A pyepics (libca) client driven line by line: one JSON command per stdin line, one JSON reply per stdout line.

One process per test file: starting libca costs more than many requests. Commands:
  {"op": "info", "names": [...]}            -> {name: {connected, ftype, count, nelm, value, units, ..., severity}}
  {"op": "get", "name", "as_string"?}       -> {"value"}
  {"op": "put", "name", "value", "wait"?}   -> {"status": ECA status of the WRITE_NOTIFY (1 = ECA_NORMAL)}
  {"op": "connections", "name"}             -> {"events": [true/false, ...]} connection changes seen so far
"""
import json
import sys
import time

import epics
from epics import ca, dbr

TIMEOUT = 5.0
_pvs = {}
_connections = {}
_put_status = {}


def _on_put(args):
    # pyepics drops the completion status of a put-callback; record it (args.status is the server's ECA code).
    _put_status['last'] = args.status
    done = args.usr
    if callable(done):
        done()


ca._CB_PUTWAIT = dbr.make_callback(_on_put, dbr.event_handler_args)


def jsonable(value):
    if hasattr(value, 'tolist'):
        return value.tolist()
    if isinstance(value, bytes):
        return value.decode('latin-1')
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, float) and value != value:
        return None
    return value


def pv(name):
    if name not in _pvs:
        events = _connections.setdefault(name, [])
        _pvs[name] = epics.PV(
            name, form='ctrl', auto_monitor=False,
            connection_callback=lambda pvname=None, conn=None, **kw: events.append(bool(conn)))
    channel = _pvs[name]
    if not channel.wait_for_connection(timeout=TIMEOUT):
        raise RuntimeError(f'{name} did not connect')
    return channel


def info(name):
    try:
        channel = pv(name)
    except RuntimeError:
        return {'connected': False}
    channel.get_ctrlvars(timeout=TIMEOUT)
    value = channel.get(use_monitor=False, timeout=TIMEOUT)
    result = {
        'connected': True,
        'ftype': ca.field_type(channel.chid),
        'count': channel.count,
        'nelm': channel.nelm,
        'value': jsonable(value),
        'read_access': channel.read_access,
        'write_access': channel.write_access,
        'severity': channel.severity,
        'status': channel.status,
    }
    for field in ('units', 'precision', 'enum_strs', 'upper_disp_limit', 'lower_disp_limit', 'upper_alarm_limit',
                  'upper_warning_limit', 'lower_warning_limit', 'lower_alarm_limit', 'upper_ctrl_limit',
                  'lower_ctrl_limit'):
        result[field] = jsonable(getattr(channel, field, None))
    return result


def handle(command):
    op = command['op']
    if op == 'info':
        return {name: info(name) for name in command['names']}
    if op == 'get':
        channel = pv(command['name'])
        value = channel.get(use_monitor=False, as_string=command.get('as_string', False), timeout=TIMEOUT)
        return {'value': jsonable(value), 'severity': channel.severity, 'status': channel.status}
    if op == 'put':
        channel = pv(command['name'])
        _put_status.pop('last', None)
        done = channel.put(command['value'], wait=command.get('wait', True), timeout=TIMEOUT)
        return {'status': _put_status.get('last'), 'completed': done is not None and done > 0}
    if op == 'connections':
        return {'events': _connections.get(command['name'], [])}
    if op == 'sleep':
        time.sleep(command['seconds'])
        return {}
    raise ValueError(f'unknown op {op}')


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        reply = {'ok': True, **handle(json.loads(line))}
    except Exception as error:
        reply = {'ok': False, 'error': f'{type(error).__name__}: {error}'}
    sys.stdout.write(json.dumps(reply) + '\n')
    sys.stdout.flush()
