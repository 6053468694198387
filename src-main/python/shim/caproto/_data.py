"""caproto's ChannelData surface over a PV of IOC Studio's database.

A ChannelData here holds no value of its own once attached: `value`, `timestamp`, `status` and `severity` are read
from the TypeScript IocPv, and `write()` goes through that PV's one write pipeline (limits, alarms, putter hook,
deadbands, monitors). Before it is attached (while a PVGroup is being built) it reports its initial value.
"""

import enum

from pyodide.ffi import JsPromise, JsProxy, to_js

from . import (
    EPICS_EPOCH_OFFSET,
    MAX_ENUM_STATES,
    MAX_ENUM_STRING_SIZE,
    AlarmSeverity,
    AlarmStatus,
    CannotExceedLimits,
    CaprotoRuntimeError,
    CaprotoValueError,
    ChannelType,
    TimeStamp,
)
from _iocstudio import host as _host

_PLAIN = frozenset((int, float, str, bool))

# Native type -> the PvSpec type name of IOC Studio's PV database.
_TYPE_NAMES = {
    ChannelType.STRING: 'STRING',
    ChannelType.INT: 'SHORT',
    ChannelType.FLOAT: 'FLOAT',
    ChannelType.ENUM: 'ENUM',
    ChannelType.CHAR: 'CHAR',
    ChannelType.LONG: 'LONG',
    ChannelType.DOUBLE: 'DOUBLE',
}

# caproto's metadata keywords accepted by write() and write_metadata(); mapped to PvSpec fields by the host.
_METADATA_KEYS = frozenset(
    (
        'units',
        'precision',
        'enum_strings',
        'upper_disp_limit',
        'lower_disp_limit',
        'upper_alarm_limit',
        'upper_warning_limit',
        'lower_warning_limit',
        'lower_alarm_limit',
        'upper_ctrl_limit',
        'lower_ctrl_limit',
        'value_atol',
        'log_atol',
    )
)


class ChannelAlarm:
    """An alarm shared by the PVs attached to it (one PV unless they share an `alarm_group`)."""

    def __init__(
        self,
        *,
        status=0,
        severity=0,
        must_acknowledge_transient=True,
        severity_to_acknowledge=0,
        alarm_string='',
    ):
        self._channels = []
        self._status = status
        self._severity = severity
        self.must_acknowledge_transient = must_acknowledge_transient
        self.severity_to_acknowledge = severity_to_acknowledge
        self.alarm_string = alarm_string

    def connect(self, channel):
        self._channels.append(channel)

    def _attached(self):
        return [channel for channel in self._channels if channel._pv is not None]

    @property
    def status(self):
        attached = self._attached()
        return AlarmStatus(attached[0].status) if attached else AlarmStatus(self._status)

    @property
    def severity(self):
        attached = self._attached()
        return AlarmSeverity(attached[0].severity) if attached else AlarmSeverity(self._severity)

    async def write(
        self,
        *,
        status=None,
        severity=None,
        alarm_string=None,
        must_acknowledge_transient=None,
        severity_to_acknowledge=None,
        caller=None,
        flags=0,
        publish=True,
    ):
        if alarm_string is not None:
            self.alarm_string = alarm_string
        if must_acknowledge_transient is not None:
            self.must_acknowledge_transient = must_acknowledge_transient
        if severity_to_acknowledge is not None:
            self.severity_to_acknowledge = severity_to_acknowledge
        new_status = int(self.status if status is None else status)
        new_severity = int(self.severity if severity is None else severity)
        self._status, self._severity = new_status, new_severity
        # PVs sharing an alarm group share one alarm in the database: setting it on one posts to all of them.
        attached = self._attached()
        if attached:
            attached[0]._pv.setAlarm(new_status, new_severity)

    def __repr__(self):
        return f'<ChannelAlarm(status={self.status.name}, severity={self.severity.name})>'


class ChannelData:
    """Base of the PV data classes. `**kwargs` are caproto's class keywords (units, precision, limits, ...)."""

    data_type = ChannelType.LONG
    default_value = 0
    long_string = False

    def __init__(
        self,
        *,
        alarm=None,
        value=None,
        timestamp=None,
        max_length=None,
        string_encoding='latin-1',
        reported_record_type='caproto',
        **kwargs,
    ):
        self._pv = None
        self.pvname = None
        self._last_failure = None
        self.alarm = alarm if alarm is not None else ChannelAlarm()
        self.alarm.connect(self)
        self._initial_value = self.default_value if value is None else value
        self._initial_timestamp = timestamp
        self._max_length = max_length if max_length is not None else max(self.calculate_length(value), 1)
        self.string_encoding = string_encoding
        self.reported_record_type = reported_record_type
        self._kwargs = kwargs
        self.doc = None

    # -- description handed to the host ----------------------------------------------------------------------

    @property
    def type_name(self):
        return _TYPE_NAMES[self.data_type]

    def describe(self):
        """What the host needs to define this PV (mapped to a PvSpec in TypeScript)."""
        return {
            'name': self.pvname,
            'type': self.type_name,
            'maxLength': self._max_length,
            'longString': self.long_string,
            'value': self._initial_for_host(),
            'readOnly': False,
            'doc': self.doc,
            'record': None,
            'dataClass': type(self).__name__,
            'kwargs': dict(self._kwargs),
            'hooks': {'put': False, 'get': False},
        }

    def _initial_for_host(self):
        return _plain(self._initial_value)

    # -- attachment -------------------------------------------------------------------------------------------

    def _attach(self, pv):
        self._pv = pv

    def _detach(self):
        self._pv = None

    def _require_pv(self):
        pv = self._pv
        if pv is None:
            raise CaprotoRuntimeError(
                f'{self.pvname or self!r} is not served (yet): values can be written from hooks once the server runs'
            )
        return pv

    # -- values -----------------------------------------------------------------------------------------------

    def calculate_length(self, value):
        if isinstance(value, (list, tuple)):
            return len(value)
        if isinstance(value, (bytes, bytearray, str)) and self.data_type == ChannelType.CHAR:
            return len(value)
        return 1

    @property
    def max_length(self):
        return self._max_length

    @property
    def length(self):
        value = self.value
        if isinstance(value, (list, tuple, str, bytes)) and self._max_length > 1:
            return len(value)
        return 1

    def _element(self, item):
        """One element as Python sees it (JS numbers that look integral arrive as int)."""
        return item

    def _from_host(self, raw):
        if type(raw) in _PLAIN:
            # The hot path: a scalar put.
            return self._element(raw)
        if isinstance(raw, JsProxy):
            raw = raw.to_py()
        if isinstance(raw, (list, memoryview)):
            items = [self._element(item) for item in raw]
            return items if self._max_length > 1 else (items[0] if items else self._element(self.default_value))
        return self._element(raw)

    @property
    def value(self):
        pv = self._pv
        if pv is None:
            return self._initial_value
        return self._from_host(pv.value)

    def _to_host(self, value):
        if isinstance(value, enum.Enum):
            value = value.value
        if isinstance(value, (list, tuple, bytearray, memoryview)):
            return to_js([_plain(item) for item in value])
        if isinstance(value, bytes):
            return value.decode(self.string_encoding or 'latin-1')
        return value

    # -- timestamp and alarm ----------------------------------------------------------------------------------

    @property
    def epics_timestamp(self):
        pv = self._pv
        if pv is None:
            return TimeStamp.from_flexible_value(self._initial_timestamp or 0)
        snapshot = pv.snapshot
        return TimeStamp(snapshot.secondsPastEpoch, snapshot.nanoseconds)

    @property
    def timestamp(self):
        pv = self._pv
        if pv is None:
            return TimeStamp.from_flexible_value(self._initial_timestamp or 0).timestamp
        snapshot = pv.snapshot
        return snapshot.secondsPastEpoch + EPICS_EPOCH_OFFSET + snapshot.nanoseconds * 1e-9

    @property
    def status(self):
        pv = self._pv
        return AlarmStatus(pv.snapshot.status) if pv is not None else AlarmStatus.NO_ALARM

    @property
    def severity(self):
        pv = self._pv
        return AlarmSeverity(pv.snapshot.severity) if pv is not None else AlarmSeverity.NO_ALARM

    # -- writes -----------------------------------------------------------------------------------------------

    async def write(self, value, *, flags=0, verify_value=True, update_fields=True, **metadata):
        """Writes through the PV's pipeline: limits, alarms, the putter (unless verify_value=False), monitors."""
        pv = self._require_pv()
        status = metadata.pop('status', None)
        severity = metadata.pop('severity', None)
        timestamp = metadata.pop('timestamp', None)
        if metadata:
            self._write_metadata(metadata)
        host_value = self._to_host(value)
        self._last_failure = None
        # Synchronous unless a hook on that PV awaits: a write then costs no event-loop round trip.
        if verify_value and status is None and severity is None and timestamp is None:
            result = _host.js_host.write(pv, host_value)
        else:
            options = {'verifyValue': bool(verify_value)}
            if status is not None:
                options['status'] = int(status)
            if severity is not None:
                options['severity'] = int(severity)
            if timestamp is not None:
                options['timestamp'] = _host_timestamp(timestamp)
            result = _host.js_host.write(pv, host_value, _host.js_object(options))
        if isinstance(result, JsPromise):
            result = await result
        if result != 1:
            failure, self._last_failure = self._last_failure, None
            if failure is not None:
                # The putter raised: the caller sees the putter's own exception, as in caproto.
                raise failure
            message = str(result)
            if 'limit' in message:
                raise CannotExceedLimits(message)
            raise CaprotoValueError(message)

    async def write_metadata(self, publish=True, **metadata):
        status = metadata.pop('status', None)
        severity = metadata.pop('severity', None)
        metadata.pop('timestamp', None)
        if metadata:
            self._write_metadata(metadata)
        if status is not None or severity is not None:
            await self.alarm.write(status=status, severity=severity)

    def _write_metadata(self, metadata):
        unknown = set(metadata) - _METADATA_KEYS
        if unknown:
            raise CaprotoValueError(f'unknown metadata for {self.pvname}: {", ".join(sorted(unknown))}')
        if 'enum_strings' in metadata:
            _validate_enum_strings(metadata['enum_strings'])
            metadata['enum_strings'] = list(metadata['enum_strings'])
        _host.write_metadata(self._require_pv(), metadata)

    # -- metadata as attributes (caproto keeps them in the instance; here they live in the PV's spec) ----------

    def _spec_field(self, name, default):
        pv = self._pv
        value = self._kwargs.get(name) if pv is None else _host.spec_metadata(pv, name)
        return default if value is None else value

    def _limit(self, name):
        # JavaScript numbers that look integral arrive as int; a float PV's limits are floats, as in caproto.
        value = self._spec_field(name, 0)
        return float(value) if self.data_type in (ChannelType.DOUBLE, ChannelType.FLOAT) else value

    @property
    def units(self):
        return self._spec_field('units', '')

    @property
    def precision(self):
        return self._spec_field('precision', 0)

    @property
    def upper_disp_limit(self):
        return self._limit('upper_disp_limit')

    @property
    def lower_disp_limit(self):
        return self._limit('lower_disp_limit')

    @property
    def upper_alarm_limit(self):
        return self._limit('upper_alarm_limit')

    @property
    def upper_warning_limit(self):
        return self._limit('upper_warning_limit')

    @property
    def lower_warning_limit(self):
        return self._limit('lower_warning_limit')

    @property
    def lower_alarm_limit(self):
        return self._limit('lower_alarm_limit')

    @property
    def upper_ctrl_limit(self):
        return self._limit('upper_ctrl_limit')

    @property
    def lower_ctrl_limit(self):
        return self._limit('lower_ctrl_limit')

    @property
    def value_atol(self):
        return self._limit('value_atol')

    @property
    def log_atol(self):
        return self._limit('log_atol')

    def __repr__(self):
        return f'<{type(self).__name__} {self.pvname or "(unnamed)"} value={self.value!r}>'


class ChannelNumeric(ChannelData):
    pass


class ChannelInteger(ChannelNumeric):
    data_type = ChannelType.LONG

    def _element(self, item):
        return int(item)


class ChannelShort(ChannelInteger):
    data_type = ChannelType.INT


class ChannelDouble(ChannelNumeric):
    data_type = ChannelType.DOUBLE
    default_value = 0.0

    def _element(self, item):
        return float(item)


class ChannelFloat(ChannelDouble):
    data_type = ChannelType.FLOAT


class ChannelByte(ChannelNumeric):
    """Raw bytes (CHAR), no text encoding."""

    data_type = ChannelType.CHAR
    default_value = b''

    def _from_host(self, raw):
        if isinstance(raw, JsProxy):
            raw = raw.to_py()
        if isinstance(raw, str):
            return raw.encode('latin-1')
        if isinstance(raw, (list, memoryview)):
            return bytes(raw)
        return bytes([int(raw)])

    def _initial_for_host(self):
        value = self._initial_value
        if isinstance(value, str):
            value = value.encode('latin-1')
        if isinstance(value, (bytes, bytearray)):
            return list(value)
        return _plain(value)

    def _to_host(self, value):
        if isinstance(value, str):
            value = value.encode('latin-1')
        if isinstance(value, (bytes, bytearray, memoryview)):
            return to_js(list(bytes(value)))
        return super()._to_host(value)


class ChannelChar(ChannelData):
    """Text stored as a CHAR array (caproto's `dtype=str`); `report_as_string=True` serves it as a STRING."""

    data_type = ChannelType.CHAR
    default_value = ''
    long_string = True

    def __init__(self, *, report_as_string=False, **kwargs):
        super().__init__(**kwargs)
        self.report_as_string = report_as_string

    @property
    def type_name(self):
        return 'STRING' if self.report_as_string else 'CHAR'

    def describe(self):
        description = super().describe()
        if self.report_as_string:
            description['longString'] = False
            description['maxLength'] = 1
        return description

    def _from_host(self, raw):
        if isinstance(raw, JsProxy):
            raw = raw.to_py()
        if isinstance(raw, (list, memoryview)):
            if raw and isinstance(raw[0], str):
                return raw[0]
            return bytes(raw).split(b'\0', 1)[0].decode(self.string_encoding or 'latin-1')
        return '' if raw is None else str(raw)

    def _initial_for_host(self):
        value = self._initial_value
        if isinstance(value, (bytes, bytearray)):
            return value.decode(self.string_encoding or 'latin-1')
        return value


class ChannelString(ChannelData):
    """DBR_STRING: at most 39 characters per element; may be an array of strings."""

    data_type = ChannelType.STRING
    default_value = ''

    def _element(self, item):
        return '' if item is None else str(item)


class ChannelEnum(ChannelData):
    """ENUM: the value is the state's label (as in caproto); `raw_value` is its index."""

    data_type = ChannelType.ENUM
    default_value = 0

    def __init__(self, *, enum_strings=None, **kwargs):
        super().__init__(**kwargs)
        self._enum_strings = _validate_enum_strings(enum_strings or ())

    @property
    def enum_strings(self):
        pv = self._pv
        if pv is None:
            return self._enum_strings
        strings = pv.spec.enumStrings
        return tuple(strings.to_py()) if strings is not None else ()

    def describe(self):
        description = super().describe()
        description['kwargs']['enum_strings'] = list(self._enum_strings)
        return description

    def _initial_for_host(self):
        value = self._initial_value
        if isinstance(value, enum.Enum):
            return value.name
        if isinstance(value, bool):
            return int(value)
        return _plain(value)

    def _from_host(self, raw):
        if isinstance(raw, JsProxy):
            raw = raw.to_py()
        if isinstance(raw, (list, memoryview)):
            raw = raw[0] if raw else 0
        if isinstance(raw, str):
            return raw
        strings = self.enum_strings
        index = int(raw)
        return strings[index] if 0 <= index < len(strings) else index

    @property
    def value(self):
        pv = self._pv
        if pv is None:
            value = self._initial_value
            if isinstance(value, enum.Enum):
                return value.name
            if isinstance(value, (bool, int)) and 0 <= int(value) < len(self._enum_strings):
                return self._enum_strings[int(value)]
            return value
        return self._from_host(pv.value)

    def get_raw_value(self, value):
        try:
            return self.enum_strings.index(value)
        except ValueError:
            return None

    @property
    def raw_value(self):
        return self.get_raw_value(self.value)

    def _to_host(self, value):
        if isinstance(value, enum.Enum):
            return value.name if not isinstance(value, int) else int(value)
        if isinstance(value, bool):
            return int(value)
        return super()._to_host(value)


def _validate_enum_strings(enum_strings):
    strings = tuple(str(s) for s in enum_strings)
    too_long = [s for s in strings if len(s) >= MAX_ENUM_STRING_SIZE]
    if too_long:
        raise ValueError(
            f'The maximum enum string length is {MAX_ENUM_STRING_SIZE - 1} characters '
            f'but these are too long: {too_long}'
        )
    if len(strings) > MAX_ENUM_STATES:
        raise ValueError(f'The maximum number of enum states is {MAX_ENUM_STATES} but you passed in {len(strings)}')
    return strings


def _plain(value):
    """A value as plain Python the host converts cleanly (no enum members, tuples or byte strings)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    return value


def _host_timestamp(timestamp):
    if isinstance(timestamp, (int, float)):
        return float(timestamp)
    stamp = TimeStamp.from_flexible_value(timestamp)
    return {'secondsPastEpoch': stamp.secondsSinceEpoch, 'nanoseconds': stamp.nanoSeconds}
