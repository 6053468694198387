"""One client, many channels: connect them all, pipelined gets, one subscription each, then count the updates
the test posts after "subscribed" / "posted".

args: {"names": [...], "type": dbr type for gets, "monitor_type": dbr type for subscriptions}
result: {"connect_seconds", "values": [...], "updates": [[...] per channel]}
"""
import time

from rawca import arguments, connect, emit, finish, get_async, libca, subscribe, wait_for, wait_until

args = arguments()
names = args['names']
started = time.time()
channels = connect(names, timeout=30.0)
connect_seconds = time.time() - started

pending = [get_async(channels[n], args['type'], 1) for n in names]
libca.ca_flush_io()
values = [finish(p).get('value') for p in pending]

subs = [subscribe(channels[n], args['monitor_type'], 1, 1) for n in names]
wait_until(lambda: all(len(s.updates) >= 1 for s in subs), 10.0)
emit('subscribed')
wait_for('posted')
wait_until(lambda: all(len(s.updates) >= 2 for s in subs), 10.0)
emit('result', connect_seconds=connect_seconds, values=values,
     updates=[[u.get('value', [None])[0] for u in s.snapshot()] for s in subs])
