"""IOC Studio's `caproto`: the server-side API of caproto 1.3, served by IOC Studio's own Channel Access server.

Scripts written for caproto run here unmodified; the same script runs under real caproto outside the app. Only
the names a server script uses are provided (no client, no wire layer): PVs are served by the TypeScript engine.
"""

import enum
import time

__version__ = '1.3.0+iocstudio'

# Seconds between the Unix epoch and the EPICS epoch (1990-01-01 UTC).
EPICS_EPOCH_OFFSET = 631152000
MAX_ENUM_STATES = 16
MAX_ENUM_STRING_SIZE = 26
MAX_STRING_SIZE = 40


class ChannelType(enum.IntEnum):
    """DBR types; servers use the native ones (STRING, INT, FLOAT, ENUM, CHAR, LONG, DOUBLE)."""

    STRING = 0
    INT = 1
    FLOAT = 2
    ENUM = 3
    CHAR = 4
    LONG = 5
    DOUBLE = 6
    STS_STRING = 7
    STS_INT = 8
    STS_FLOAT = 9
    STS_ENUM = 10
    STS_CHAR = 11
    STS_LONG = 12
    STS_DOUBLE = 13
    TIME_STRING = 14
    TIME_INT = 15
    TIME_FLOAT = 16
    TIME_ENUM = 17
    TIME_CHAR = 18
    TIME_LONG = 19
    TIME_DOUBLE = 20
    GR_STRING = 21
    GR_INT = 22
    GR_FLOAT = 23
    GR_ENUM = 24
    GR_CHAR = 25
    GR_LONG = 26
    GR_DOUBLE = 27
    CTRL_STRING = 28
    CTRL_INT = 29
    CTRL_FLOAT = 30
    CTRL_ENUM = 31
    CTRL_CHAR = 32
    CTRL_LONG = 33
    CTRL_DOUBLE = 34
    PUT_ACKT = 35
    PUT_ACKS = 36
    STSACK_STRING = 37
    CLASS_NAME = 38


class AlarmSeverity(enum.IntEnum):
    NO_ALARM = 0
    MINOR_ALARM = 1
    MAJOR_ALARM = 2
    INVALID_ALARM = 3


class AlarmStatus(enum.IntEnum):
    NO_ALARM = 0
    READ = 1
    WRITE = 2
    HIHI = 3
    HIGH = 4
    LOLO = 5
    LOW = 6
    STATE = 7
    COS = 8
    COMM = 9
    TIMEOUT = 10
    HWLIMIT = 11
    CALC = 12
    SCAN = 13
    LINK = 14
    SOFT = 15
    BAD_SUB = 16
    UDF = 17
    DISABLE = 18
    SIMM = 19
    READ_ACCESS = 20
    WRITE_ACCESS = 21


class AccessRights(enum.IntFlag):
    NO_ACCESS = 0
    READ = 1
    WRITE = 2


class CaprotoError(Exception):
    """Base of caproto's exceptions."""


class CaprotoValueError(CaprotoError, ValueError):
    pass


class CaprotoTypeError(CaprotoError, TypeError):
    pass


class CaprotoRuntimeError(CaprotoError, RuntimeError):
    pass


class CaprotoAttributeError(CaprotoError, AttributeError):
    pass


class CaprotoKeyError(CaprotoError, KeyError):
    pass


class CannotExceedLimits(CaprotoValueError):
    """A write was outside the PV's control limits."""


class SkipWrite(Exception):
    """Raise (or return) from a putter to keep the old value and publish nothing."""


class TimeStamp:
    """An EPICS timestamp: seconds since 1990-01-01 UTC and nanoseconds."""

    __slots__ = ('secondsSinceEpoch', 'nanoSeconds')

    def __init__(self, secondsSinceEpoch=0, nanoSeconds=0):
        self.secondsSinceEpoch = int(secondsSinceEpoch)
        self.nanoSeconds = int(nanoSeconds)

    @property
    def timestamp(self):
        """As a Unix timestamp (seconds)."""
        return self.secondsSinceEpoch + EPICS_EPOCH_OFFSET + self.nanoSeconds * 1e-9

    @classmethod
    def from_unix_timestamp(cls, timestamp):
        seconds = int(timestamp)
        return cls(seconds - EPICS_EPOCH_OFFSET, int(round((timestamp - seconds) * 1e9)) % 1_000_000_000)

    @classmethod
    def now(cls):
        return cls.from_unix_timestamp(time.time())

    @classmethod
    def from_flexible_value(cls, timestamp):
        """A Unix timestamp, a TimeStamp or a (seconds since the EPICS epoch, nanoseconds) pair."""
        if isinstance(timestamp, TimeStamp):
            return timestamp
        if isinstance(timestamp, (int, float)):
            return cls.from_unix_timestamp(timestamp)
        seconds, nanoseconds = tuple(timestamp)
        return cls(seconds, nanoseconds)

    def __iter__(self):
        return iter((self.secondsSinceEpoch, self.nanoSeconds))

    def __eq__(self, other):
        try:
            return tuple(self) == tuple(other)
        except TypeError:
            return NotImplemented

    def __repr__(self):
        return f'TimeStamp({self.secondsSinceEpoch}, {self.nanoSeconds})'


__all__ = [
    'AccessRights',
    'AlarmSeverity',
    'AlarmStatus',
    'CannotExceedLimits',
    'CaprotoAttributeError',
    'CaprotoError',
    'CaprotoKeyError',
    'CaprotoRuntimeError',
    'CaprotoTypeError',
    'CaprotoValueError',
    'ChannelType',
    'SkipWrite',
    'TimeStamp',
]

# The data classes, for scripts that build a pvdb by hand (caproto's type_varieties / no_pvproperty examples).
from ._data import (  # noqa: E402  (they import the names above)
    ChannelAlarm,
    ChannelByte,
    ChannelChar,
    ChannelData,
    ChannelDouble,
    ChannelEnum,
    ChannelFloat,
    ChannelInteger,
    ChannelNumeric,
    ChannelShort,
    ChannelString,
)

__all__ += [
    'ChannelAlarm',
    'ChannelByte',
    'ChannelChar',
    'ChannelData',
    'ChannelDouble',
    'ChannelEnum',
    'ChannelFloat',
    'ChannelInteger',
    'ChannelNumeric',
    'ChannelShort',
    'ChannelString',
]
