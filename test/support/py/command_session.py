"""The command loop shared by the pyepics session scripts (test/support/pyepics-session.ts drives them): each
stdin line is one JSON command {"op": ...}, each answer one {"event": "reply", "ok": ...} JSON line on stdout.
A failing command is reported and the session goes on; "quit" ends it with {"event": "result"}.
"""
import json
import sys


def plain(value):
    """numpy values and arrays, and bytes, as JSON."""
    if hasattr(value, 'tolist'):
        return value.tolist()
    if isinstance(value, bytes):
        return value.decode('latin-1')
    raise TypeError(f'cannot send {type(value).__name__}')


def emit(event, **fields):
    print(json.dumps(dict(event=event, **fields), default=plain), flush=True)


def serve(commands, emit=emit):
    """Runs `commands` ({op: function(cmd) -> dict of reply fields}) until stdin says quit or ends."""
    emit('ready')
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        if cmd['op'] == 'quit':
            break
        try:
            emit('reply', ok=True, **commands[cmd['op']](cmd))
        except Exception as error:  # the test shows the message; the session goes on
            emit('reply', ok=False, error='%s: %s' % (type(error).__name__, error))
    emit('result')
