"""Puts with explicit DBR types, with (WRITE_NOTIFY) and without (WRITE) callback, each read back on its own
channel, plus pyepics high-level caput.

args: {"puts": [{"name", "type", "values", "notify"}], "caput": [{"name", "value"}]}
result: {"access": {name: {read, write}}, "puts": [{status, completion?, seconds?, readback}], "caput": [...]}
"""
import epics

from rawca import arguments, connect, emit, get, put

args = arguments()
puts = args.get('puts', [])
channels = connect(sorted({p['name'] for p in puts}))

results = []
for p in puts:
    channel = channels[p['name']]
    outcome = put(channel, p['type'], p['values'], notify=p['notify'])
    # Same circuit, so the server handles this read after the write (a plain WRITE has no reply of its own).
    outcome['readback'] = get(channel, channel.native_type, 0)
    results.append(outcome)

caputs = []
for c in args.get('caput', []):
    status = epics.caput(c['name'], c['value'], wait=True, timeout=5.0)
    caputs.append(dict(status=status, readback=epics.caget(c['name'], use_monitor=False, timeout=5.0)))

emit('result', access={name: c.access() for name, c in channels.items()}, puts=results, caput=caputs)
