"""caproto's high-level server API: pvproperty, PVGroup, SubGroup, pairs, scan hooks, the argument parser, run().

Semantics follow caproto 1.3 (signatures, dtype rules, hook binding, PV naming). Where IOC Studio differs on
purpose it says so: each PV has its own alarm unless it names an `alarm_group`; limits are enabled when given;
run() hands the PVs to IOC Studio's server and returns instead of blocking.
"""

import argparse
import collections
import enum
import inspect
import logging
import os
import sys
import time
import typing
from types import MethodType

from .. import (
    AlarmSeverity,
    AlarmStatus,
    CaprotoAttributeError,
    CaprotoRuntimeError,
    CaprotoTypeError,
    CaprotoValueError,
    ChannelType,
    __version__,
)
from _iocstudio import host as _host
from .._data import (
    ChannelAlarm,
    ChannelByte,
    ChannelChar,
    ChannelData,
    ChannelDouble,
    ChannelEnum,
    ChannelFloat,
    ChannelInteger,
    ChannelShort,
    ChannelString,
)

module_logger = logging.getLogger('caproto.server')


class AsyncLibraryLayer:
    """What hooks receive as `async_lib`: name, library, sleep, Event, ThreadsafeQueue."""

    name = None
    library = None
    Event = None
    sleep = None
    ThreadsafeQueue = None


# -- hook signatures ------------------------------------------------------------------------------------------

_HOOK_ARGUMENTS = {
    'get': ('group', 'instance'),
    'put': ('group', 'instance', 'value'),
    'startup': ('group', 'instance', 'async_lib'),
    'shutdown': ('group', 'instance', 'async_lib'),
    'scan': ('group', 'instance', 'async_lib'),
}


def check_signature(kind, func, expect_method=True):
    """Hooks must be `async def` and callable with caproto's arguments (as caproto enforces)."""
    if func is None:
        return
    arguments = _HOOK_ARGUMENTS[kind] if expect_method else _HOOK_ARGUMENTS[kind][1:]
    try:
        inspect.signature(func).bind(*arguments)
        bindable = True
    except (TypeError, ValueError):
        bindable = False
    if bindable and inspect.iscoroutinefunction(func):
        return
    try:
        location = f'{inspect.getsourcefile(func)}:{inspect.getsourcelines(func)[1]}'
    except (OSError, TypeError):
        location = 'location unknown'
    raise CaprotoRuntimeError(
        f'The {kind} hook {getattr(func, "__name__", func)!r} ({location}) must be callable with a signature like:\n'
        f'    async def {getattr(func, "__name__", "hook")}({", ".join(arguments)})'
    )


# -- data classes ---------------------------------------------------------------------------------------------


def _enum_strings_of(enum_class):
    """Labels of an IntEnum by value, with caproto's `unset_N` for gaps."""
    names = {int(member): member.name for member in enum_class}
    return [names.get(index, f'unset_{index}') for index in range(max(names) + 1)]


class PvpropertyData(ChannelData):
    """A pvproperty's ChannelData: knows its group, its PVSpec and its bound hooks."""

    read_only = False

    def __init__(self, *, pvname, group, pvspec, doc=None, record=None, logger=None, **kwargs):
        self.pvname = pvname
        self.pvspec = pvspec
        self.group = group
        if group is not None:
            self.name = f'{group.name}.{pvspec.attr}'
            self.log = group.log
            self.getter = MethodType(pvspec.get, group) if pvspec.get is not None else group.group_read
            self.putter = MethodType(pvspec.put, group) if pvspec.put is not None else group.group_write
            self.startup = MethodType(pvspec.startup, group) if pvspec.startup is not None else None
            self.scan = MethodType(pvspec.scan, group) if pvspec.scan is not None else None
            self.shutdown = MethodType(pvspec.shutdown, group) if pvspec.shutdown is not None else None
        else:
            self.name = pvspec.attr or pvspec.name
            self.log = logger or module_logger
            self.getter, self.putter = pvspec.get, pvspec.put
            self.startup, self.scan, self.shutdown = pvspec.startup, pvspec.scan, pvspec.shutdown
        self.record_type = record if isinstance(record, str) or record is None else getattr(record, '_record_type', None)
        self.field_inst = None
        self.fields = {}
        kwargs.pop('reported_record_type', None)
        super().__init__(reported_record_type=self.record_type or 'caproto', **kwargs)
        self.pvname = pvname
        self.doc = doc

    @property
    def has_putter(self):
        """True when a put must run Python: a putter, or a PVGroup that overrides group_write."""
        if self.pvspec.put is not None:
            return True
        return self.group is not None and type(self.group).group_write is not PVGroup.group_write

    @property
    def has_getter(self):
        if self.pvspec.get is not None:
            return True
        return self.group is not None and type(self.group).group_read is not PVGroup.group_read

    def describe(self):
        description = super().describe()
        description['readOnly'] = self.read_only
        description['record'] = self.record_type
        description['attr'] = self.name
        description['attrPath'] = self._attr_path()
        description['valueGiven'] = self.pvspec.value is not None
        description['hooks'] = {'put': self.has_putter, 'get': self.has_getter}
        if self.pvspec.alarm_group is not None and self.group is not None:
            # Alarm groups are per PVGroup instance in caproto; make the name unique across the database.
            description['alarmGroup'] = f'{self.group.name}@{self.group.prefix}:{self.pvspec.alarm_group}'
        return description

    def _attr_path(self):
        """The attribute path from the outermost group ('stage.x'): how an IOC_STUDIO dict names this PV."""
        if self.group is None:
            return None
        root = self.group
        while root.parent is not None:
            root = root.parent
        return self.name[len(root.name) + 1 :] if self.name.startswith(root.name + '.') else None

    async def server_startup(self, async_lib):
        return await self.startup(self, async_lib)

    async def server_scan(self, async_lib):
        return await self.scan(self, async_lib)

    async def server_shutdown(self, async_lib):
        return await self.shutdown(self, async_lib)

    def get_field(self, field):
        if not field or field == 'VAL':
            return self
        raise KeyError(f'record field hooks are not available in IOC Studio; {self.pvname}.{field} is served by the IOC')


class PvpropertyReadOnlyData(PvpropertyData):
    """Read-only over Channel Access only: hooks can still write()."""

    read_only = True


def _data_class(name, base, read_only, doc):
    bases = (PvpropertyReadOnlyData, base) if read_only else (PvpropertyData, base)
    return type(name, bases, {'__doc__': doc, '__module__': __name__})


class PvpropertyBoolEnum(PvpropertyData, ChannelEnum):
    """ENUM with Off/On as default strings (caproto's `dtype=bool`)."""

    def __init__(self, *, enum_strings=None, **kwargs):
        super().__init__(enum_strings=['Off', 'On'] if enum_strings is None else enum_strings, **kwargs)


class PvpropertyBoolEnumRO(PvpropertyReadOnlyData, PvpropertyBoolEnum):
    pass


class PvpropertyEnum(PvpropertyData, ChannelEnum):
    """ENUM; an IntEnum value brings its member names as enum strings."""

    def __init__(self, *, enum_strings=None, value=None, **kwargs):
        if isinstance(value, enum.IntEnum):
            if enum_strings is not None:
                raise CaprotoValueError('Cannot specify both an enum `value` and `enum_strings`')
            enum_strings = _enum_strings_of(type(value))
            value = value.name
        super().__init__(enum_strings=enum_strings, value=value, **kwargs)


class PvpropertyEnumRO(PvpropertyReadOnlyData, PvpropertyEnum):
    pass


PvpropertyChar = _data_class('PvpropertyChar', ChannelChar, False, 'Text as a CHAR array (dtype=str).')
PvpropertyCharRO = _data_class('PvpropertyCharRO', ChannelChar, True, 'Read-only text as a CHAR array.')
PvpropertyByte = _data_class('PvpropertyByte', ChannelByte, False, 'Raw bytes as CHAR (dtype=bytes).')
PvpropertyByteRO = _data_class('PvpropertyByteRO', ChannelByte, True, 'Read-only raw bytes.')
PvpropertyShort = _data_class('PvpropertyShort', ChannelShort, False, '16-bit integer (ChannelType.INT).')
PvpropertyShortRO = _data_class('PvpropertyShortRO', ChannelShort, True, 'Read-only 16-bit integer.')
PvpropertyInteger = _data_class('PvpropertyInteger', ChannelInteger, False, '32-bit integer (dtype=int).')
PvpropertyIntegerRO = _data_class('PvpropertyIntegerRO', ChannelInteger, True, 'Read-only 32-bit integer.')
PvpropertyFloat = _data_class('PvpropertyFloat', ChannelFloat, False, '32-bit float (ChannelType.FLOAT).')
PvpropertyFloatRO = _data_class('PvpropertyFloatRO', ChannelFloat, True, 'Read-only 32-bit float.')
PvpropertyDouble = _data_class('PvpropertyDouble', ChannelDouble, False, '64-bit float (dtype=float).')
PvpropertyDoubleRO = _data_class('PvpropertyDoubleRO', ChannelDouble, True, 'Read-only 64-bit float.')
PvpropertyString = _data_class('PvpropertyString', ChannelString, False, 'DBR_STRING, up to 39 characters.')
PvpropertyStringRO = _data_class('PvpropertyStringRO', ChannelString, True, 'Read-only DBR_STRING.')

pvspec_type_map = {
    str: PvpropertyChar,
    bytes: PvpropertyByte,
    int: PvpropertyInteger,
    float: PvpropertyDouble,
    bool: PvpropertyBoolEnum,
    enum.IntEnum: PvpropertyEnum,
    ChannelType.STRING: PvpropertyString,
    ChannelType.INT: PvpropertyShort,
    ChannelType.LONG: PvpropertyInteger,
    ChannelType.DOUBLE: PvpropertyDouble,
    ChannelType.FLOAT: PvpropertyFloat,
    ChannelType.ENUM: PvpropertyEnum,
    ChannelType.CHAR: PvpropertyChar,
}

pvspec_type_map_read_only = {
    str: PvpropertyCharRO,
    bytes: PvpropertyByteRO,
    int: PvpropertyIntegerRO,
    float: PvpropertyDoubleRO,
    bool: PvpropertyBoolEnumRO,
    enum.IntEnum: PvpropertyEnumRO,
    ChannelType.STRING: PvpropertyStringRO,
    ChannelType.INT: PvpropertyShortRO,
    ChannelType.LONG: PvpropertyIntegerRO,
    ChannelType.DOUBLE: PvpropertyDoubleRO,
    ChannelType.FLOAT: PvpropertyFloatRO,
    ChannelType.ENUM: PvpropertyEnumRO,
    ChannelType.CHAR: PvpropertyCharRO,
}

_READ_ONLY_OF = {cls: pvspec_type_map_read_only[dtype] for dtype, cls in pvspec_type_map.items()}


# -- PVSpec ---------------------------------------------------------------------------------------------------

_PVSPEC_FIELDS = 'get put startup shutdown attr name dtype value max_length alarm_group read_only doc fields scan record cls_kwargs'


class PVSpec(collections.namedtuple('PVSpec', _PVSPEC_FIELDS)):
    """Everything needed to create a pvproperty's ChannelData (immutable)."""

    __slots__ = ()
    default_dtype = int

    def __new__(
        cls,
        get=None,
        put=None,
        startup=None,
        shutdown=None,
        attr=None,
        name=None,
        dtype=None,
        value=None,
        max_length=None,
        alarm_group=None,
        read_only=None,
        doc=None,
        fields=None,
        scan=None,
        record=None,
        cls_kwargs=None,
    ):
        if dtype is None:
            if value is None:
                dtype = cls.default_dtype
            elif isinstance(value, (list, tuple)):
                dtype = type(value[0]) if len(value) else cls.default_dtype
            else:
                dtype = type(value)
        if put is not None and read_only:
            raise AssertionError('Read-only signal cannot have putter')
        if name and '.' in name and record:
            raise CaprotoValueError(f'Cannot specify `record` on PV with a "." in it: {name!r}')
        return super().__new__(
            cls, get, put, startup, shutdown, attr, name, dtype, value, max_length, alarm_group, read_only, doc,
            fields, scan, record, cls_kwargs,
        )

    def new_names(self, attr=None, name=None):
        return self._replace(attr=self.attr if attr is None else attr, name=self.name if name is None else name)

    def get_data_class(self, group=None):
        type_map = pvspec_type_map if group is None else group.type_map
        type_map_read_only = pvspec_type_map_read_only if group is None else group.type_map_read_only
        dtype = typing.get_origin(self.dtype) or self.dtype
        if inspect.isclass(dtype):
            if issubclass(dtype, enum.IntEnum):
                dtype = enum.IntEnum
            elif issubclass(dtype, ChannelData):
                if self.read_only and dtype in _READ_ONLY_OF:
                    return _READ_ONLY_OF[dtype]
                return dtype
        if isinstance(dtype, ChannelType) and dtype > ChannelType.DOUBLE:
            raise CaprotoValueError(f'dtype {dtype!r} is not a native type: use STRING, INT, FLOAT, ENUM, CHAR, LONG or DOUBLE')
        try:
            return (type_map_read_only if self.read_only else type_map)[dtype]
        except KeyError:
            raise CaprotoTypeError(
                f'Unsupported dtype {dtype!r} for {self.name!r}: use str, bytes, int, float, bool, an IntEnum, '
                'a ChannelType or a Pvproperty* class'
            ) from None

    def get_instantiation_info(self, group=None):
        if group is None:
            if self.value is None:
                raise ValueError(f'Value required for {self.name!r}')
            pvname = self.name
            alarm = self.alarm_group if isinstance(self.alarm_group, ChannelAlarm) else None
        else:
            pvname = group.prefix + expand_macros(self.name, group.macros)
            # IOC Studio: a PV without an alarm_group gets its own alarm (caproto shares one per group, #803).
            alarm = group.alarms[self.alarm_group] if self.alarm_group is not None else ChannelAlarm()
        cls = self.get_data_class(group)
        if self.value is not None:
            value = self.value
        elif group is not None:
            value = group.default_values.get(self.dtype, cls.default_value)
        else:
            value = cls.default_value
        kwargs = dict(
            group=group,
            pvspec=self,
            value=value,
            max_length=self.max_length,
            alarm=alarm,
            pvname=pvname,
            record=self.record,
            **(self.cls_kwargs or {}),
        )
        return cls, kwargs

    def create(self, group=None):
        cls, kwargs = self.get_instantiation_info(group)
        try:
            instance = cls(**kwargs)
        except Exception as ex:
            raise CaprotoRuntimeError(f'Failed to instantiate {cls.__name__!r} from PVSpec: {ex}') from ex
        instance.doc = self.doc
        return instance


# -- scan hooks -----------------------------------------------------------------------------------------------


def scan_wrapper(
    scan_function,
    period,
    *,
    subtract_elapsed=True,
    stop_on_error=False,
    failure_severity=AlarmSeverity.MAJOR_ALARM,
    use_scan_field=False,
):
    """Turns a scan hook into a startup-like loop calling it every `period` seconds (caproto's semantics)."""

    async def call_once(group, prop, async_lib):
        try:
            await scan_function(group, prop, async_lib)
        except Exception as error:
            prop.log.exception('Scan exception')
            _host.report_failure(prop, 'scan', error)
            await prop.alarm.write(status=AlarmStatus.SCAN, severity=failure_severity)
            if stop_on_error:
                raise
        else:
            if (prop.alarm.severity, prop.alarm.status) == (failure_severity, AlarmStatus.SCAN):
                await prop.alarm.write(status=AlarmStatus.NO_ALARM, severity=AlarmSeverity.NO_ALARM)

    async def scanned_startup(group, prop, async_lib):
        if use_scan_field and period is not None:
            _host.set_initial_scan_period(prop, period)
        while True:
            started = time.monotonic()
            interval = _host.scan_period(prop) if use_scan_field else period
            if interval and interval > 0:
                await call_once(group, prop, async_lib)
            else:
                # Passive / Event / I/O Intr: not called; look at .SCAN again shortly.
                interval = 0.1
            elapsed = time.monotonic() - started
            await async_lib.library.sleep(max(0, interval - elapsed) if subtract_elapsed else interval)

    return scanned_startup


# -- pvproperty -----------------------------------------------------------------------------------------------


class pvproperty:
    """A PV of a PVGroup, declared as a class attribute; hooks attach with decorators."""

    def __init__(
        self,
        get=None,
        put=None,
        startup=None,
        shutdown=None,
        *,
        scan=None,
        name=None,
        dtype=None,
        value=None,
        max_length=None,
        alarm_group=None,
        doc=None,
        read_only=None,
        field_spec=None,
        fields=None,
        record=None,
        **cls_kwargs,
    ):
        self.attr_name = None
        if doc is None and get is not None:
            doc = get.__doc__
        for kind, func in (('get', get), ('put', put), ('startup', startup), ('scan', scan), ('shutdown', shutdown)):
            check_signature(kind, func)
        origin = typing.get_origin(dtype)
        if origin is not None:
            # PvpropertyDouble[AiFields]-style annotations: the record comes from the argument.
            arguments = typing.get_args(dtype)
            dtype = origin
            if len(arguments) == 1 and record is None:
                record = getattr(arguments[0], '_record_type', None)
        if field_spec is not None and record is None:
            record = getattr(field_spec, 'record_type', None)
        self.field_spec = None
        self.pvspec = PVSpec(
            get=get,
            put=put,
            startup=startup,
            shutdown=shutdown,
            name=name,
            dtype=dtype,
            value=value,
            max_length=max_length,
            alarm_group=alarm_group,
            read_only=read_only,
            doc=doc,
            fields=fields,
            scan=scan,
            record=record,
            cls_kwargs=cls_kwargs,
        )
        self.__doc__ = doc

    @property
    def record_type(self):
        return self.pvspec.record

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return instance.attr_pvdb[self.attr_name]

    def __set__(self, instance, value):
        instance.attr_pvdb[self.attr_name] = value

    def __delete__(self, instance):
        del instance.attr_pvdb[self.attr_name]

    def __set_name__(self, owner, name):
        if self.attr_name:
            return
        self.attr_name = name
        self.pvspec = self.pvspec._replace(attr=name, name=self.pvspec.name if self.pvspec.name is not None else name)

    def getter(self, get):
        check_signature('get', get)
        self.pvspec = self.pvspec._replace(get=get)
        return self

    def putter(self, put):
        check_signature('put', put)
        if self.pvspec.read_only:
            raise AssertionError('Read-only signal cannot have putter')
        self.pvspec = self.pvspec._replace(put=put)
        return self

    def startup(self, startup):
        check_signature('startup', startup)
        self.pvspec = self.pvspec._replace(startup=startup)
        return self

    def shutdown(self, shutdown):
        check_signature('shutdown', shutdown)
        self.pvspec = self.pvspec._replace(shutdown=shutdown)
        return self

    def scan(
        self,
        period,
        *,
        subtract_elapsed=True,
        stop_on_error=False,
        failure_severity=AlarmSeverity.MAJOR_ALARM,
        use_scan_field=False,
    ):
        if use_scan_field:
            if not self.record_type:
                raise CaprotoValueError('`use_scan_field=True` requires `record="..."` to be set')
        elif period <= 0:
            raise CaprotoValueError('Scan period must be > 0')

        def wrapper(func):
            check_signature('scan', func)
            wrapped = scan_wrapper(
                func,
                period,
                subtract_elapsed=subtract_elapsed,
                stop_on_error=stop_on_error,
                failure_severity=failure_severity,
                use_scan_field=use_scan_field,
            )
            self.pvspec = self.pvspec._replace(scan=wrapped)
            return self

        return wrapper

    def __call__(self, get, put=None, startup=None, shutdown=None, scan=None):
        # pvproperty(**spec)(getter, putter, startup) form.
        spec = self.pvspec
        doc = spec.doc if spec.doc is not None else get.__doc__
        if self.__doc__ is None:
            self.__doc__ = doc
        self.pvspec = PVSpec(
            get, put, startup, shutdown, name=spec.name, dtype=spec.dtype, value=spec.value,
            alarm_group=spec.alarm_group, doc=doc, scan=scan, cls_kwargs=spec.cls_kwargs,
        )
        return self

    @classmethod
    def from_pvspec(cls, pvspec, **kwargs):
        prop = cls(**kwargs)
        prop.pvspec = pvspec
        return prop

    @property
    def fields(self):
        raise CaprotoAttributeError(
            'record field hooks (pv.fields.X.putter) are not supported by IOC Studio; fields such as .EGU, .DESC '
            'and .HOPR are served and wired to the PV automatically'
        )


class NestedPvproperty(pvproperty):
    """A pvproperty of a dict-based SubGroup: decorators return the SubGroup so the parent sees one attribute."""

    def getter(self, get):
        super().getter(get)
        return self.parent

    def putter(self, put):
        super().putter(put)
        return self.parent

    def startup(self, startup):
        super().startup(startup)
        return self.parent

    def shutdown(self, shutdown):
        super().shutdown(shutdown)
        return self.parent

    def scan(self, *args, **kwargs):
        wrap = super().scan(*args, **kwargs)

        def wrapper(func):
            wrap(func)
            return self.parent

        return wrapper

    @classmethod
    def from_pvspec(cls, pvspec, parent):
        prop = super().from_pvspec(pvspec)
        prop.parent = parent
        return prop


# -- SubGroup -------------------------------------------------------------------------------------------------


class SubGroup:
    """A nested PVGroup: from a PVGroup class, a dict of PV specs, or as a class decorator."""

    def __init__(self, group=None, *, prefix=None, macros=None, attr_separator=None, doc=None, base=None, **init_kwargs):
        self.attr_name = None
        self._group_dict = None
        self._class_dict = None
        self.group_cls = None
        self.prefix = prefix
        self.macros = dict(macros) if macros is not None else {}
        self.attr_separator = attr_separator
        self.base = (PVGroup,) if base is None else base
        self.__doc__ = doc
        self.init_kwargs = init_kwargs
        self._set_group(group)

    def _set_group(self, group):
        if isinstance(group, dict):
            self._group_dict = group
            self._class_dict = {
                spec.attr: NestedPvproperty.from_pvspec(spec, self)
                for spec in (self._pvspec_from_info(attr, info) for attr, info in group.items())
            }
        elif group is not None:
            if not (inspect.isclass(group) and issubclass(group, PVGroup)):
                raise CaprotoTypeError(f'SubGroup needs a PVGroup subclass or a dict, not {group!r}')
            self.group_cls = group

    @staticmethod
    def _pvspec_from_info(attr, info):
        if isinstance(info, dict):
            return PVSpec(**{'attr': attr, **info})
        if isinstance(info, PVSpec):
            return info
        if isinstance(info, pvproperty):
            return info.pvspec
        raise CaprotoTypeError(f'Unknown type for pvspec: {info!r}')

    def __call__(self, group=None, *, prefix=None, macros=None, doc=None):
        # SubGroup(**options)(GroupClass) and the decorator form.
        copied = SubGroup.__new__(SubGroup)
        copied.__dict__.update(self.__dict__)
        copied.macros = dict(self.macros)
        if prefix is not None:
            copied.prefix = prefix
        if macros is not None:
            copied.macros = dict(macros)
        if doc is not None:
            copied.__doc__ = doc
        if group is not None:
            copied._set_group(group)
        return copied

    def __set_name__(self, owner, name):
        self.attr_name = name
        if self.group_cls is None:
            if self._class_dict is None:
                raise CaprotoRuntimeError(f'SubGroup {name!r} has no group class or dict')
            self.group_cls = type(name, self.base, dict(self._class_dict))
        if self.__doc__ is None:
            self.__doc__ = self.group_cls.__doc__
        if self.attr_separator is None:
            self.attr_separator = getattr(self.group_cls, 'attr_separator', ':')
        if self.prefix is None:
            self.prefix = name + self.attr_separator

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return instance.groups[self.attr_name]

    def __set__(self, instance, value):
        instance.groups[self.attr_name] = value

    def __getattr__(self, attr):
        class_dict = self.__dict__.get('_class_dict')
        if class_dict is not None and attr in class_dict:
            return class_dict[attr]
        raise AttributeError(attr)


def get_pv_pair_wrapper(setpoint_suffix='', readback_suffix='_RBV'):
    """A factory of SubGroups holding a read-write setpoint and a read-only readback."""

    def wrapped(
        *,
        get=None,
        put=None,
        startup=None,
        shutdown=None,
        name=None,
        dtype=None,
        value=None,
        max_length=None,
        alarm_group=None,
        doc=None,
        fields=None,
        scan=None,
        setpoint_kw=None,
        readback_kw=None,
        **cls_kwargs,
    ):
        if cls_kwargs.pop('read_only', None) not in (None, False):
            raise RuntimeError('Read-only settings for a setpoint/readback pair should not be specified')
        common = dict(dtype=dtype, value=value, max_length=max_length, alarm_group=alarm_group, doc=doc, fields=fields)

        if put is None:

            async def put(obj, instance, value):
                'Default putter: copy the value to the readback.'
                await obj.readback.write(value)

        def with_overrides(overrides, **kwargs):
            for key, item in (overrides or {}).items():
                if key in kwargs:
                    kwargs[key] = item
                else:
                    kwargs['cls_kwargs'][key] = item
            return kwargs

        setpoint = with_overrides(
            setpoint_kw, name=setpoint_suffix, put=put, read_only=False, record=None,
            cls_kwargs=dict(cls_kwargs), **common,
        )
        readback = with_overrides(
            readback_kw, name=readback_suffix, get=get, read_only=True, record=None, scan=scan,
            startup=startup, shutdown=shutdown, cls_kwargs=dict(cls_kwargs), **common,
        )
        return SubGroup(dict(setpoint=setpoint, readback=readback), attr_separator='', doc=doc, prefix=name)

    return wrapped


def expand_macros(pv, macros):
    """Fills `{macro}` placeholders of a PV name (`{{` escapes a brace)."""
    return pv.format(**macros)


# -- PVGroup --------------------------------------------------------------------------------------------------


class PVGroupMeta(type):
    """Collects the pvproperties and SubGroups of a PVGroup class, in order, including inherited ones."""

    def __new__(metacls, name, bases, dct):
        cls = super().__new__(metacls, name, bases, dct)
        subgroups = {}
        pvs = {}
        for base in bases:
            subgroups.update(getattr(base, '_subgroups_', {}))
            pvs.update(getattr(base, '_pvs_', {}))
        for attr, value in dct.items():
            if attr.startswith('_') or not isinstance(value, SubGroup):
                continue
            subgroups[attr] = value
            for sub_attr, sub in getattr(value.group_cls, '_subgroups_', {}).items():
                subgroups[f'{attr}.{sub_attr}'] = sub
        for attr, value in dct.items():
            if attr.startswith('_'):
                continue
            if isinstance(value, pvproperty):
                pvs[attr] = value
            elif isinstance(value, SubGroup):
                for sub_attr, prop in value.group_cls._pvs_.items():
                    pvs[f'{attr}.{sub_attr}'] = prop
        cls._subgroups_ = subgroups
        cls._pvs_ = pvs
        return cls


class PVGroup(metaclass=PVGroupMeta):
    """A group of PVs (and nested groups) sharing a prefix; `pvdb` maps full PV names to their ChannelData."""

    type_map = dict(pvspec_type_map)
    type_map_read_only = dict(pvspec_type_map_read_only)
    default_values = {
        str: '',
        int: 0,
        float: 0.0,
        bool: False,
        ChannelType.STRING: '',
        ChannelType.INT: 0,
        ChannelType.LONG: 0,
        ChannelType.DOUBLE: 0.0,
        ChannelType.FLOAT: 0.0,
        ChannelType.ENUM: 0,
        ChannelType.CHAR: '',
    }

    def __init__(self, prefix, *, macros=None, parent=None, name=None):
        self.parent = parent
        self.macros = dict(macros) if macros is not None else {}
        self.prefix = expand_macros(prefix, self.macros)
        self.alarms = collections.defaultdict(ChannelAlarm)
        self.pvdb = {}
        self.attr_pvdb = {}
        self.attr_to_pvname = {}
        self.groups = {}
        if not hasattr(self, 'states'):
            self.states = getattr(parent, 'states', {})
        self.name = type(self).__name__ if name is None else name
        base = parent.log.name if parent is not None else type(self).__module__
        self.log = logging.getLogger(f'{base}.{type(self).__name__}')
        self._create_pvdb()

    def __setattr__(self, attr, value):
        # Name a ThreadsafeQueue after the attribute it is stored in, so the traffic view can show "put_queue".
        namer = getattr(value, '_take_name', None)
        if namer is not None:
            namer(f'{self.prefix}{attr}')
        super().__setattr__(attr, value)

    def _create_pvdb(self):
        for attr, subgroup in self._subgroups_.items():
            if attr in self.groups:
                continue
            prefix = self.prefix + (subgroup.prefix if subgroup.prefix is not None else subgroup.attr_name)
            macros = {**self.macros, **subgroup.macros}
            instance = subgroup.group_cls(
                prefix=prefix, macros=macros, parent=self, name=f'{self.name}.{attr}', **subgroup.init_kwargs
            )
            self.groups[attr] = instance
            for sub_attr, sub_instance in instance.groups.items():
                self.groups[f'{attr}.{sub_attr}'] = sub_instance

        for attr, prop in self._pvs_.items():
            if '.' in attr:
                group_attr, sub_attr = attr.rsplit('.', 1)
                group = self.groups[group_attr]
                channel = group.attr_pvdb[sub_attr]
                pvname = group.attr_to_pvname[sub_attr]
            else:
                channel = prop.pvspec.create(self)
                pvname = channel.pvname
            if pvname in self.pvdb:
                first = self.pvdb[pvname]
                raise CaprotoRuntimeError(
                    f'{pvname} defined multiple times: now in attr: {attr} originally: '
                    f'{getattr(getattr(first, "pvspec", None), "attr", first)}'
                )
            self.pvdb[pvname] = channel
            self.attr_pvdb[attr] = channel
            self.attr_to_pvname[attr] = pvname

    async def group_read(self, instance):
        'Generic read called for channels without `get` defined'

    async def group_write(self, instance, value):
        'Generic write called for channels without `put` defined'
        return value


# -- command line and run() -----------------------------------------------------------------------------------


def _default_interfaces():
    return os.environ.get('EPICS_CAS_INTF_ADDR_LIST', '').split() or ['0.0.0.0']


def template_arg_parser(*, desc, default_prefix, argv=None, macros=None, supported_async_libs=None):
    """caproto's standard IOC options; the arguments come from the host (IOC Studio's run settings)."""
    macros = {} if macros is None else macros
    parser = argparse.ArgumentParser(
        description=desc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f'caproto version {__version__}',
    )
    parser.add_argument('--prefix', type=str, default=default_prefix)
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument('-q', '--quiet', action='store_true', help='Suppress INFO log messages.')
    verbosity.add_argument('-v', '--verbose', action='count', help='Show more log messages.')
    parser.add_argument('--list-pvs', action='store_true', help='At startup, log the list of PV names served.')
    choices = tuple(supported_async_libs or ('asyncio', 'curio', 'trio'))
    parser.add_argument('--async-lib', default=choices[0], choices=choices, help='Asynchronous library.')
    parser.add_argument('--interfaces', default=_default_interfaces(), nargs='+', help='Interfaces to listen on.')
    for name, default in macros.items():
        if default is None:
            parser.add_argument(f'--{name}', type=str, required=True, help='Macro substitution required by this IOC')
        else:
            parser.add_argument(f'--{name}', type=str, default=default, help=f'Optional macro, default: {default!r}')

    def split_args(args):
        if args.verbose:
            _host.set_log_level(logging.DEBUG)
        elif args.quiet:
            _host.set_log_level(logging.WARNING)
        return (
            {'prefix': args.prefix, 'macros': {key: getattr(args, key) for key in macros}},
            {
                'module_name': f'caproto.{args.async_lib}.server',
                'log_pv_names': args.list_pvs,
                'interfaces': args.interfaces,
            },
        )

    return parser, split_args


def ioc_arg_parser(*, desc, default_prefix, argv=None, macros=None, supported_async_libs=None):
    """Parses the IOC's arguments (sys.argv, set by the host) into (ioc_options, run_options)."""
    parser, split_args = template_arg_parser(
        desc=desc, default_prefix=default_prefix, argv=argv, macros=macros, supported_async_libs=supported_async_libs
    )
    return split_args(parser.parse_args(sys.argv[1:] if argv is None else argv))


def run(pvdb, *, module_name='caproto.asyncio.server', interfaces=None, log_pv_names=False, startup_hook=None):
    """Hands the PV database to IOC Studio's Channel Access server and returns (caproto's run() blocks)."""
    _host.register_run(
        pvdb,
        module_name=module_name,
        interfaces=interfaces,
        log_pv_names=log_pv_names,
        startup_hook=startup_hook,
    )
