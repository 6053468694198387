"""A pyepics client for the UI tests, driven line by line: each stdin line is one JSON command, each answer one
{"event": "reply", ...} JSON line. It keeps its channels for the whole session and records every connection
change, so a test can prove that Apply changes kept clients connected.

Commands ({"op": ...}):
  connect pvs            -> connects the channels (each with a connection callback)
  put pv value           -> put with completion (the putter has run); the value read back
  get pv                 -> the value
  wait pv value [tol]    -> polls until the value equals (within tol), at most 5 s
  connections            -> every connection change seen since connect: [pv, connected]
  quit
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'support', 'py'))

import epics  # noqa: E402
from command_session import serve  # noqa: E402

channels = {}
changes = []
lock = threading.Lock()


def on_connection(pvname=None, conn=None, **_):
    with lock:
        changes.append([pvname, bool(conn)])


def channel(name):
    if name not in channels:
        channels[name] = epics.PV(name, auto_monitor=False, connection_callback=on_connection,
                                  connection_timeout=5.0)
    if not channels[name].wait_for_connection(timeout=5.0):
        raise TimeoutError(f'{name} did not connect')
    return channels[name]


def connect(cmd):
    for name in cmd['pvs']:
        channel(name)
    return dict(connected=len(cmd['pvs']))


def put(cmd):
    p = channel(cmd['pv'])
    status = p.put(cmd['value'], wait=True, timeout=5.0)
    return dict(status=status, readback=p.get(use_monitor=False, timeout=5.0))


def get(cmd):
    return dict(value=channel(cmd['pv']).get(use_monitor=False, timeout=5.0))


def wait(cmd):
    p = channel(cmd['pv'])
    deadline = time.time() + 5.0
    while True:
        value = p.get(use_monitor=False, timeout=5.0)
        reached = isinstance(value, (int, float)) and abs(value - cmd['value']) <= cmd.get('tol', 1e-9)
        if reached or time.time() > deadline:
            return dict(value=value, reached=reached)
        time.sleep(0.02)


def connections(_cmd):
    with lock:
        return dict(changes=list(changes))


COMMANDS = dict(connect=connect, put=put, get=get, wait=wait, connections=connections)

serve(COMMANDS)
