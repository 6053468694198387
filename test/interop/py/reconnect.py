"""Watches one channel through a disconnect (PV removed, or server gone) and the automatic reconnect.

Subscribes (DBR_TIME_<native>, VALUE|ALARM), emits "subscribed", waits for the channel to go down and emits
"down", waits for the test's "go" (PV back / server restarted), then waits until the channel is up again and the
subscription has delivered `expect` (the new value).

args: {"name", "type", "expect", "timeout"}
result: {"events": [[up|down, time]], "updates": [...], "access": {...}}
"""
from rawca import arguments, connect, emit, subscribe, wait_for, wait_until

args = arguments()
timeout = args.get('timeout', 20.0)
channel = connect([args['name']])[args['name']]
sub = subscribe(channel, args['type'], 0, 1 | 4)
sub.wait_count(1, 5.0)
emit('subscribed', value=sub.snapshot()[0].get('value'))

if not wait_until(lambda: not channel.is_connected, 10.0):
    raise RuntimeError('%s never disconnected' % args['name'])
emit('down')
wait_for('go')
wait_until(lambda: channel.is_connected and any(u.get('value') == [args['expect']] for u in sub.snapshot()),
           timeout)
emit('result', events=channel.events, updates=sub.snapshot(), connected=channel.is_connected,
     access=channel.access() if channel.is_connected else None)
