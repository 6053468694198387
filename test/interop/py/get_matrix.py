"""Gets with explicit DBR types (every family, conversions, arrays, counts) plus a few pyepics high-level gets.

args: {"requests": [{"name", "type", "count"?}], "pyepics": [{"name", "as_string"?, "count"?}]}
result: {"channels": {name: {native_type, element_count, read, write}}, "gets": [...], "pyepics": [...]}
"""
import epics

from rawca import arguments, connect, emit, finish, get_async, libca

args = arguments()
requests = args.get('requests', [])
high_level = args.get('pyepics', [])
names = sorted({r['name'] for r in requests})
channels = connect(names)
info = {name: dict(native_type=c.native_type, element_count=c.element_count, **c.access())
        for name, c in channels.items()}

# Pipelined: every request goes out in one flush, then the replies are collected in order.
pending = [get_async(channels[r['name']], r['type'], r.get('count')) for r in requests]
libca.ca_flush_io()
gets = [finish(p) for p in pending]

values = []
for h in high_level:
    value = epics.caget(h['name'], as_string=h.get('as_string', False), count=h.get('count'), timeout=5.0)
    values.append(value)

emit('result', channels=info, gets=gets, pyepics=values)
