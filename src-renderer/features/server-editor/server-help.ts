/** What each server setting does, shown under it. */
export const SERVER_HELP = {
  name: 'The IOC’s name, shown in the app and in the exported script’s --help.',
  className: 'The Python class of the exported PVGroup.',
  description: 'The class docstring and the --help description.',
  prefix: 'Put before every PV name (--prefix overrides it when the script runs); {macro} inserts a macro.',
  macros: 'Values the command line can set (--name value) and PV names use as {name}.',
  interfaces: 'Addresses to serve on, separated by spaces or commas (EPICS_CAS_INTF_ADDR_LIST); empty: all.',
  serverPort: 'UDP search port and first TCP port (EPICS_CA_SERVER_PORT); empty: 5064.',
  beaconPort: 'Where beacons go (EPICS_CAS_BEACON_PORT); empty: 5065.',
  hookTimeLimitMs: 'A hook call running longer is interrupted, so one stuck hook cannot stall every client.',
  subGroups:
    'Nested PVGroups (caproto SubGroup): their PVs get the group prefix and live in a class of their own.',
  access:
    'Rules in the spirit of an EPICS access security file: a channel gets the most any matching rule grants.',
  groups: 'One group per line: name = member, member…',
  verbatim:
    'Code an import could not turn into PVs and hooks: exported exactly as written. Problems lists it until marked reviewed.',
} as const
