"""One of many simultaneous clients (each its own process, so its own libca context and TCP circuit): reads its
own PV, writes index * 10 to it with a callback, watches the shared PV, emits "ready", and after "posted" waits
for the shared PV's new value.

args: {"index", "own", "shared", "expect"}
result: {"own_before", "put", "own_after", "shared": [values]}
"""
from rawca import DOUBLE, LONG, arguments, connect, emit, get, put, subscribe, wait_for, wait_until

args = arguments()
channels = connect([args['own'], args['shared']])
own, shared = channels[args['own']], channels[args['shared']]
before = get(own, LONG)
outcome = put(own, LONG, [args['index'] * 10], notify=True)
after = get(own, LONG)
sub = subscribe(shared, DOUBLE, 1, 1)
sub.wait_count(1, 5.0)
emit('ready')
wait_for('posted')
wait_until(lambda: any(u.get('value') == [args['expect']] for u in sub.snapshot()), 10.0)
emit('result', own_before=before.get('value'), put=outcome, own_after=after.get('value'),
     shared=[u.get('value') for u in sub.snapshot()])
