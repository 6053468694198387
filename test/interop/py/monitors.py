"""Subscriptions with given DBR types, counts and masks. After the initial updates it emits "subscribed"; the
test posts changes and writes "posted"; the driver then waits for the expected update counts (plus a short settle
time, so extra updates would be seen) and reports every update.

args: {"subs": [{"name", "type", "count", "mask", "expect"}], "settle": seconds}
result: {"updates": [[update, ...] per subscription]}
"""
import time

from rawca import arguments, connect, emit, subscribe, wait_for

args = arguments()
specs = args['subs']
channels = connect(sorted({s['name'] for s in specs}))
subs = [subscribe(channels[s['name']], s['type'], s['count'], s['mask']) for s in specs]
for s, sub in zip(specs, subs):
    if not sub.wait_count(1, 5.0):
        raise RuntimeError('no initial update for %s' % s['name'])
emit('subscribed', initial=[len(sub.snapshot()) for sub in subs])
wait_for('posted')
for s, sub in zip(specs, subs):
    sub.wait_count(s['expect'], 5.0)
time.sleep(args.get('settle', 0.3))
emit('result', updates=[sub.snapshot() for sub in subs])
