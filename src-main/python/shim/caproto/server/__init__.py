"""caproto.server as IOC Studio provides it (see server.py)."""

from .. import SkipWrite
from .server import (
    AsyncLibraryLayer,
    NestedPvproperty,
    PVGroup,
    PvpropertyBoolEnum,
    PvpropertyBoolEnumRO,
    PvpropertyByte,
    PvpropertyByteRO,
    PvpropertyChar,
    PvpropertyCharRO,
    PvpropertyData,
    PvpropertyDouble,
    PvpropertyDoubleRO,
    PvpropertyEnum,
    PvpropertyEnumRO,
    PvpropertyFloat,
    PvpropertyFloatRO,
    PvpropertyInteger,
    PvpropertyIntegerRO,
    PvpropertyReadOnlyData,
    PvpropertyShort,
    PvpropertyShortRO,
    PvpropertyString,
    PvpropertyStringRO,
    PVSpec,
    SubGroup,
    expand_macros,
    get_pv_pair_wrapper,
    ioc_arg_parser,
    pvproperty,
    run,
    scan_wrapper,
    template_arg_parser,
)

# Parts of caproto.server that IOC Studio does not provide: importing them says so instead of a bare ImportError.
_UNSUPPORTED = {
    'pvfunction': 'pvfunction (RPC-style groups) is not supported by IOC Studio; use a PV with a putter instead',
    'autosave': "caproto's autosave helper is not available in IOC Studio yet",
    'stats': "caproto's StatusHelper PVs are not available in IOC Studio yet",
    'conversion': "caproto's code generators are not available in IOC Studio",
}


def __getattr__(name):
    if name in _UNSUPPORTED:
        raise ImportError(_UNSUPPORTED[name], name=name)
    raise AttributeError(f"module 'caproto.server' has no attribute {name!r}")


__all__ = [
    'AsyncLibraryLayer',
    'NestedPvproperty',
    'PVGroup',
    'PVSpec',
    'PvpropertyBoolEnum',
    'PvpropertyBoolEnumRO',
    'PvpropertyByte',
    'PvpropertyByteRO',
    'PvpropertyChar',
    'PvpropertyCharRO',
    'PvpropertyData',
    'PvpropertyDouble',
    'PvpropertyDoubleRO',
    'PvpropertyEnum',
    'PvpropertyEnumRO',
    'PvpropertyFloat',
    'PvpropertyFloatRO',
    'PvpropertyInteger',
    'PvpropertyIntegerRO',
    'PvpropertyReadOnlyData',
    'PvpropertyShort',
    'PvpropertyShortRO',
    'PvpropertyString',
    'PvpropertyStringRO',
    'SkipWrite',
    'SubGroup',
    'expand_macros',
    'get_pv_pair_wrapper',
    'ioc_arg_parser',
    'pvproperty',
    'run',
    'scan_wrapper',
    'template_arg_parser',
]
