"""Channel Access through Debian's libca with explicit DBR types, for the interop drivers.

pyepics' own unpacking knows only the plain, TIME and CTRL families (and gives CTRL_STRING the TIME layout), so
the drivers call libca directly (through the library pyepics loaded) and decode every reply here from the C struct
layouts of db_access.h. libca has already turned the wire bytes into host-order C structs, so a field the server
put at the wrong offset shows up here as a wrong value.

Every driver prints JSON lines on stdout: progress events the test may react to, then one {"event": "result"}.
The test answers on stdin with one word per line (see `wait_for`).
"""
import ctypes
import json
import math
import struct
import sys
import threading
import time

from epics import ca

# pyepics creates the CA context (preemptive callbacks); our own handle on the same library keeps the argtypes
# set below from clashing with pyepics' calls.
libca = ctypes.CDLL((ca.initialize_libca() if ca.libca is None else ca.libca)._name)

ECA_NORMAL = 1
CS_CONN = 2
OP_CONN_UP = 6
OP_CONN_DOWN = 7

STRING, SHORT, FLOAT, ENUM, CHAR, LONG, DOUBLE = range(7)
PLAIN, STS, TIME, GR, CTRL = range(5)
PUT_ACKT, PUT_ACKS, STSACK_STRING, CLASS_NAME = 35, 36, 37, 38
# struct formats and sizes of one element of each native type (host order: x86-64 is little-endian)
ELEMENT = {STRING: ('40s', 40), SHORT: ('<h', 2), FLOAT: ('<f', 4), ENUM: ('<H', 2),
           CHAR: ('<B', 1), LONG: ('<i', 4), DOUBLE: ('<d', 8)}
LIMIT_NAMES = ('upper_disp', 'lower_disp', 'upper_alarm', 'upper_warning', 'lower_warning', 'lower_alarm',
               'upper_ctrl', 'lower_ctrl')

DBR_SIZE = (ctypes.c_ushort * 39).in_dll(libca, 'dbr_size')
DBR_VALUE_SIZE = (ctypes.c_ushort * 39).in_dll(libca, 'dbr_value_size')
DBR_VALUE_OFFSET = (ctypes.c_ushort * 39).in_dll(libca, 'dbr_value_offset')


class EventArgs(ctypes.Structure):
    _fields_ = [('usr', ctypes.c_void_p), ('chid', ctypes.c_void_p), ('type', ctypes.c_long),
                ('count', ctypes.c_long), ('dbr', ctypes.c_void_p), ('status', ctypes.c_int)]


class ConnectionArgs(ctypes.Structure):
    _fields_ = [('chid', ctypes.c_void_p), ('op', ctypes.c_long)]


EVENT_CALLBACK = ctypes.CFUNCTYPE(None, EventArgs)
CONNECTION_CALLBACK = ctypes.CFUNCTYPE(None, ConnectionArgs)

libca.ca_create_channel.argtypes = [ctypes.c_char_p, CONNECTION_CALLBACK, ctypes.c_void_p, ctypes.c_uint,
                                    ctypes.POINTER(ctypes.c_void_p)]
libca.ca_clear_channel.argtypes = [ctypes.c_void_p]
libca.ca_puser.argtypes = [ctypes.c_void_p]
libca.ca_puser.restype = ctypes.c_void_p
libca.ca_state.argtypes = [ctypes.c_void_p]
libca.ca_field_type.argtypes = [ctypes.c_void_p]
libca.ca_field_type.restype = ctypes.c_short
libca.ca_element_count.argtypes = [ctypes.c_void_p]
libca.ca_element_count.restype = ctypes.c_ulong
libca.ca_read_access.argtypes = [ctypes.c_void_p]
libca.ca_write_access.argtypes = [ctypes.c_void_p]
libca.ca_array_get_callback.argtypes = [ctypes.c_long, ctypes.c_ulong, ctypes.c_void_p, EVENT_CALLBACK,
                                        ctypes.c_void_p]
libca.ca_array_put.argtypes = [ctypes.c_long, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_void_p]
libca.ca_array_put_callback.argtypes = [ctypes.c_long, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_void_p,
                                        EVENT_CALLBACK, ctypes.c_void_p]
libca.ca_create_subscription.argtypes = [ctypes.c_long, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_long,
                                         EVENT_CALLBACK, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
libca.ca_clear_subscription.argtypes = [ctypes.c_void_p]
libca.ca_message.restype = ctypes.c_char_p


# ---------------------------------------------------------------- output and input

def jsonable(value):
    """JSON has no NaN/Infinity and no bytes: spell them out so the test can still compare them."""
    if isinstance(value, float) and not math.isfinite(value):
        return 'NaN' if math.isnan(value) else ('Infinity' if value > 0 else '-Infinity')
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, 'tolist'):  # numpy arrays and scalars from pyepics
        return jsonable(value.tolist())
    if isinstance(value, bytes):
        return value.decode('latin-1')
    return value


def emit(event, **fields):
    sys.stdout.write(json.dumps(jsonable(dict(event=event, **fields))) + '\n')
    sys.stdout.flush()


def wait_for(word, timeout=30.0):
    """Blocks until the test writes `word` on a line of stdin (the test's side of a scenario step)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = sys.stdin.readline()
        if not line:
            raise RuntimeError('stdin closed while waiting for %r' % word)
        if line.strip() == word:
            return
    raise RuntimeError('timed out waiting for %r' % word)


def arguments():
    return json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}


def message(status):
    return libca.ca_message(status).decode('latin-1')


# ---------------------------------------------------------------- decoding of libca's host-order structs

def cstring(raw):
    return raw.split(b'\0', 1)[0].decode('latin-1')


def decode_values(native, raw, offset, count):
    fmt, size = ELEMENT[native]
    if native == STRING:
        return [cstring(raw[offset + i * 40: offset + (i + 1) * 40]) for i in range(count)]
    return [struct.unpack_from(fmt, raw, offset + i * size)[0] for i in range(count)]


def decode(dbr_type, count, raw):
    """Turns one DBR buffer (as libca hands it to a callback) into a dict of its fields."""
    if dbr_type == STSACK_STRING:
        status, severity, ackt, acks = struct.unpack_from('<HHHH', raw, 0)
        return dict(status=status, severity=severity, ackt=ackt, acks=acks,
                    value=decode_values(STRING, raw, 8, count))
    if dbr_type == CLASS_NAME:
        return dict(value=decode_values(STRING, raw, 0, count))
    family, native = divmod(dbr_type, 7)
    out = {}
    if family != PLAIN:
        out['status'], out['severity'] = struct.unpack_from('<hh', raw, 0)
    if family == TIME:
        out['seconds'], out['nanoseconds'] = struct.unpack_from('<II', raw, 4)
    if family in (GR, CTRL) and native != STRING:
        if native == ENUM:
            (no_str,) = struct.unpack_from('<h', raw, 4)
            out['enum_strs'] = [cstring(raw[6 + 26 * i: 6 + 26 * (i + 1)]) for i in range(no_str)]
        else:
            nlimits = 8 if family == CTRL else 6
            fmt, size = ELEMENT[native]
            if native in (FLOAT, DOUBLE):
                (out['precision'],) = struct.unpack_from('<h', raw, 4)
                units_at, limits_at = 8, 16
            else:
                units_at, limits_at = 4, 12
            out['units'] = cstring(raw[units_at:units_at + 8])
            for i in range(nlimits):
                out[LIMIT_NAMES[i]] = struct.unpack_from(fmt, raw, limits_at + i * size)[0]
    out['value'] = decode_values(native, raw, DBR_VALUE_OFFSET[dbr_type], count)
    return out


def dbr_size_n(dbr_type, count):
    return DBR_SIZE[dbr_type] + max(count - 1, 0) * DBR_VALUE_SIZE[dbr_type]


def encode(native, values):
    """A plain DBR buffer for a put: `values` is a list of numbers, or of strings for DBR_STRING."""
    fmt, size = ELEMENT[native]
    buf = ctypes.create_string_buffer(max(1, len(values)) * size)
    for i, v in enumerate(values):
        if native == STRING:
            struct.pack_into('40s', buf, i * 40, v.encode('latin-1')[:39])
        else:
            struct.pack_into(fmt, buf, i * size, v)
    return buf


# ---------------------------------------------------------------- callbacks shared by every request

class Pending:
    """One outstanding get or put-callback, completed from a libca thread."""

    def __init__(self):
        self.done = threading.Event()
        self.result = None


_lock = threading.Lock()
_pending = {}
_next_id = [1]


def _register(obj):
    with _lock:
        key = _next_id[0]
        _next_id[0] += 1
        _pending[key] = obj
        return key


def _reply(args):
    """Get and put-callback completions: decode the reply (if any) and wake the waiter."""
    with _lock:
        pending = _pending.pop(args.usr, None)
    if pending is None:
        return
    # 'eca' is the reply's ECA status; 'status'/'severity' (from decode) are the PV's alarm fields.
    result = dict(eca=args.status, type=args.type, count=args.count)
    if args.dbr and args.status == ECA_NORMAL and args.type <= 38:
        raw = ctypes.string_at(args.dbr, dbr_size_n(args.type, args.count))
        result.update(decode(args.type, args.count, raw))
    pending.result = result
    pending.done.set()


def _update(args):
    """Subscription updates: appended to the subscription's list in arrival order."""
    with _lock:
        sub = _pending.get(args.usr)
    if sub is None:
        return
    entry = dict(eca=args.status, count=args.count, t=time.time())
    if args.dbr and args.status == ECA_NORMAL:
        entry.update(decode(args.type, args.count, ctypes.string_at(args.dbr, dbr_size_n(args.type, args.count))))
    with sub.lock:
        sub.updates.append(entry)


_REPLY_CALLBACK = EVENT_CALLBACK(_reply)
_UPDATE_CALLBACK = EVENT_CALLBACK(_update)


# ---------------------------------------------------------------- channels

class Channel:
    def __init__(self, name):
        self.name = name
        self.chid = ctypes.c_void_p()
        self.key = 0
        self.events = []  # ('up' | 'down', time)
        self.connected = threading.Event()

    @property
    def native_type(self):
        return libca.ca_field_type(self.chid)

    @property
    def element_count(self):
        return libca.ca_element_count(self.chid)

    @property
    def is_connected(self):
        return libca.ca_state(self.chid) == CS_CONN

    def access(self):
        return dict(read=bool(libca.ca_read_access(self.chid)), write=bool(libca.ca_write_access(self.chid)))


_channels = {}  # user-pointer key -> Channel; registered before ca_create_channel so no callback is missed


def _connection(args):
    channel = _channels.get(libca.ca_puser(args.chid))
    if channel is None:
        return
    up = args.op == OP_CONN_UP
    channel.events.append(('up' if up else 'down', time.time()))
    if up:
        channel.connected.set()
    else:
        channel.connected.clear()


_CONNECTION_CALLBACK = CONNECTION_CALLBACK(_connection)


def connect(names, timeout=10.0, priority=0):
    """Creates one channel per name and waits until all are connected; returns {name: Channel}."""
    channels = {}
    for name in names:
        channel = Channel(name)
        with _lock:
            channel.key = _next_id[0]
            _next_id[0] += 1
        _channels[channel.key] = channel
        status = libca.ca_create_channel(name.encode('latin-1'), _CONNECTION_CALLBACK, channel.key, priority,
                                         ctypes.byref(channel.chid))
        if status != ECA_NORMAL:
            raise RuntimeError('ca_create_channel(%s): %s' % (name, message(status)))
        channels[name] = channel
    libca.ca_flush_io()
    deadline = time.time() + timeout
    for channel in channels.values():
        if not channel.connected.wait(max(0.0, deadline - time.time())):
            raise RuntimeError('%s did not connect within %.1f s' % (channel.name, timeout))
    return channels


def clear(channel):
    libca.ca_clear_channel(channel.chid)
    _channels.pop(channel.key, None)
    libca.ca_flush_io()


# ---------------------------------------------------------------- operations

def get_async(channel, dbr_type, count=None):
    """Issues a get (READ_NOTIFY) without waiting; returns the Pending."""
    pending = Pending()
    key = _register(pending)
    if count is None:
        count = channel.element_count
    status = libca.ca_array_get_callback(dbr_type, count, channel.chid, _REPLY_CALLBACK, key)
    if status != ECA_NORMAL:
        with _lock:
            _pending.pop(key, None)
        pending.result = dict(eca=status, issue_failed=True)
        pending.done.set()
    return pending


def finish(pending, timeout=10.0):
    if not pending.done.wait(timeout):
        return dict(eca=None, timed_out=True)
    return pending.result


def get(channel, dbr_type, count=None, timeout=10.0):
    p = get_async(channel, dbr_type, count)
    libca.ca_flush_io()
    return finish(p, timeout)


def put(channel, native, values, notify=False, timeout=10.0):
    """Writes `values` as plain DBR type `native`. Returns {'issued': ECA status of the call itself,
    'completion': ECA status of the WRITE_NOTIFY reply (notify only), 'seconds': until that reply}."""
    buf = encode(native, values)
    if not notify:
        status = libca.ca_array_put(native, len(values), channel.chid, buf)
        libca.ca_flush_io()
        return dict(issued=status)
    pending = Pending()
    key = _register(pending)
    started = time.time()
    status = libca.ca_array_put_callback(native, len(values), channel.chid, buf, _REPLY_CALLBACK, key)
    if status != ECA_NORMAL:
        with _lock:
            _pending.pop(key, None)
        return dict(issued=status)
    libca.ca_flush_io()
    result = finish(pending, timeout)
    return dict(issued=status, completion=result.get('eca'), seconds=time.time() - started)


class Subscription:
    def __init__(self):
        self.lock = threading.Lock()
        self.updates = []
        self.evid = ctypes.c_void_p()

    def snapshot(self):
        with self.lock:
            return list(self.updates)

    def wait_count(self, n, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if len(self.updates) >= n:
                    return True
            time.sleep(0.005)
        return False


def subscribe(channel, dbr_type, count, mask):
    sub = Subscription()
    key = _register(sub)
    status = libca.ca_create_subscription(dbr_type, count, channel.chid, mask, _UPDATE_CALLBACK, key,
                                          ctypes.byref(sub.evid))
    if status != ECA_NORMAL:
        raise RuntimeError('ca_create_subscription(%s): %s' % (channel.name, message(status)))
    libca.ca_flush_io()
    return sub


def unsubscribe(sub):
    libca.ca_clear_subscription(sub.evid)
    libca.ca_flush_io()


def wait_until(predicate, timeout=10.0, step=0.005):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
