/**
 * Channel Access protocol constants: command numbers (caProto.h), ECA status codes with their names and
 * messages (caerr.h), ports, versions and flag values. No I/O, no allocation.
 */

export const Command = {
  VERSION: 0,
  EVENT_ADD: 1,
  EVENT_CANCEL: 2,
  READ: 3,
  WRITE: 4,
  SNAPSHOT: 5,
  SEARCH: 6,
  BUILD: 7,
  EVENTS_OFF: 8,
  EVENTS_ON: 9,
  READ_SYNC: 10,
  ERROR: 11,
  CLEAR_CHANNEL: 12,
  RSRV_IS_UP: 13,
  NOT_FOUND: 14,
  READ_NOTIFY: 15,
  READ_BUILD: 16,
  REPEATER_CONFIRM: 17,
  CREATE_CHAN: 18,
  WRITE_NOTIFY: 19,
  CLIENT_NAME: 20,
  HOST_NAME: 21,
  ACCESS_RIGHTS: 22,
  ECHO: 23,
  REPEATER_REGISTER: 24,
  SIGNAL: 25,
  CREATE_CH_FAIL: 26,
  SERVER_DISCONN: 27,
} as const
export type Command = (typeof Command)[keyof typeof Command]

const COMMAND_NAMES: readonly string[] = Object.keys(Command)

/** 'CREATE_CHAN' for 18; 'UNKNOWN(99)' for numbers outside the table. */
export function commandName(command: number): string {
  return COMMAND_NAMES[command] ?? `UNKNOWN(${command})`
}

/** Our CA minor protocol version (4.13: the revision current libca and rsrv speak). */
export const CA_MINOR_VERSION = 13
export const CA_MAJOR_VERSION = 4
/** Oldest client minor version we talk to (rsrv's minimum). */
export const CA_MINIMUM_MINOR_VERSION = 4
/** First minor version that understands extended (24-byte) headers and large arrays. */
export const CA_EXTENDED_HEADER_MINOR_VERSION = 9
/** First minor version whose VERSION message carries a UDP search sequence number. */
export const CA_SEQUENCE_MINOR_VERSION = 11
/** First minor version that treats element count 0 as "current length". */
export const CA_DYNAMIC_COUNT_MINOR_VERSION = 13

export const DEFAULT_SERVER_PORT = 5064
export const DEFAULT_REPEATER_PORT = 5065
export const DEFAULT_BEACON_PERIOD_SECONDS = 15
export const DEFAULT_MAX_ARRAY_BYTES = 16384

/** SEARCH dataType: the client wants a NOT_FOUND reply (only honoured over TCP). */
export const DO_REPLY = 10
export const DONT_REPLY = 5
/** VERSION dataType in a UDP datagram: "p1 carries a valid search sequence number". */
export const SEQUENCE_VALID = 1
/** SEARCH reply p1 meaning "use the source address of this datagram". */
export const SEARCH_REPLY_USE_SOURCE_ADDRESS = 0xffffffff

export const STANDARD_HEADER_SIZE = 16
export const EXTENDED_HEADER_SIZE = 24
/** postsize/count value that marks an extended header. */
export const EXTENDED_MARKER = 0xffff
/** Names longer than this are treated as garbage (rsrv's unreasonablePVNameSize). */
export const MAX_PV_NAME_LENGTH = 500
/** rsrv's MAX_UDP_SEND: search replies to one source are batched into datagrams of at most this size. */
export const MAX_UDP_REPLY_BYTES = 1024
/** ERROR messages are capped at this size (rsrv). */
export const MAX_ERROR_MESSAGE_BYTES = 512
/** Minimum largest message any peer must accept (the pre-4.9 limit). */
export const MIN_MAX_MESSAGE_BYTES = 16384

export const ECA_SEVERITY = { WARNING: 0, SUCCESS: 1, ERROR: 2, INFO: 3, SEVERE: 4, FATAL: 6 } as const

const defMsg = (severity: number, number: number): number => (number << 3) | severity

/** ECA status codes as sent on the wire: (message number << 3) | severity (caerr.h). */
export const Eca = {
  NORMAL: defMsg(ECA_SEVERITY.SUCCESS, 0),
  MAXIOC: defMsg(ECA_SEVERITY.ERROR, 1),
  UKNHOST: defMsg(ECA_SEVERITY.ERROR, 2),
  UKNSERV: defMsg(ECA_SEVERITY.ERROR, 3),
  SOCK: defMsg(ECA_SEVERITY.ERROR, 4),
  CONN: defMsg(ECA_SEVERITY.WARNING, 5),
  ALLOCMEM: defMsg(ECA_SEVERITY.WARNING, 6),
  UKNCHAN: defMsg(ECA_SEVERITY.WARNING, 7),
  UKNFIELD: defMsg(ECA_SEVERITY.WARNING, 8),
  TOLARGE: defMsg(ECA_SEVERITY.WARNING, 9),
  TIMEOUT: defMsg(ECA_SEVERITY.WARNING, 10),
  NOSUPPORT: defMsg(ECA_SEVERITY.WARNING, 11),
  STRTOBIG: defMsg(ECA_SEVERITY.WARNING, 12),
  DISCONNCHID: defMsg(ECA_SEVERITY.ERROR, 13),
  BADTYPE: defMsg(ECA_SEVERITY.ERROR, 14),
  CHIDNOTFND: defMsg(ECA_SEVERITY.INFO, 15),
  CHIDRETRY: defMsg(ECA_SEVERITY.INFO, 16),
  INTERNAL: defMsg(ECA_SEVERITY.FATAL, 17),
  DBLCLFAIL: defMsg(ECA_SEVERITY.WARNING, 18),
  GETFAIL: defMsg(ECA_SEVERITY.WARNING, 19),
  PUTFAIL: defMsg(ECA_SEVERITY.WARNING, 20),
  ADDFAIL: defMsg(ECA_SEVERITY.WARNING, 21),
  BADCOUNT: defMsg(ECA_SEVERITY.WARNING, 22),
  BADSTR: defMsg(ECA_SEVERITY.ERROR, 23),
  DISCONN: defMsg(ECA_SEVERITY.WARNING, 24),
  DBLCHNL: defMsg(ECA_SEVERITY.WARNING, 25),
  EVDISALLOW: defMsg(ECA_SEVERITY.ERROR, 26),
  BUILDGET: defMsg(ECA_SEVERITY.WARNING, 27),
  NEEDSFP: defMsg(ECA_SEVERITY.WARNING, 28),
  OVEVFAIL: defMsg(ECA_SEVERITY.WARNING, 29),
  BADMONID: defMsg(ECA_SEVERITY.ERROR, 30),
  NEWADDR: defMsg(ECA_SEVERITY.WARNING, 31),
  NEWCONN: defMsg(ECA_SEVERITY.INFO, 32),
  NOCACTX: defMsg(ECA_SEVERITY.WARNING, 33),
  DEFUNCT: defMsg(ECA_SEVERITY.FATAL, 34),
  EMPTYSTR: defMsg(ECA_SEVERITY.WARNING, 35),
  NOREPEATER: defMsg(ECA_SEVERITY.WARNING, 36),
  NOCHANMSG: defMsg(ECA_SEVERITY.WARNING, 37),
  DLCKREST: defMsg(ECA_SEVERITY.WARNING, 38),
  SERVBEHIND: defMsg(ECA_SEVERITY.WARNING, 39),
  NOCAST: defMsg(ECA_SEVERITY.WARNING, 40),
  BADMASK: defMsg(ECA_SEVERITY.ERROR, 41),
  IODONE: defMsg(ECA_SEVERITY.INFO, 42),
  IOINPROGRESS: defMsg(ECA_SEVERITY.INFO, 43),
  BADSYNCGRP: defMsg(ECA_SEVERITY.ERROR, 44),
  PUTCBINPROG: defMsg(ECA_SEVERITY.ERROR, 45),
  NORDACCESS: defMsg(ECA_SEVERITY.WARNING, 46),
  NOWTACCESS: defMsg(ECA_SEVERITY.WARNING, 47),
  ANACHRONISM: defMsg(ECA_SEVERITY.ERROR, 48),
  NOSEARCHADDR: defMsg(ECA_SEVERITY.WARNING, 49),
  NOCONVERT: defMsg(ECA_SEVERITY.WARNING, 50),
  BADCHID: defMsg(ECA_SEVERITY.ERROR, 51),
  BADFUNCPTR: defMsg(ECA_SEVERITY.ERROR, 52),
  ISATTACHED: defMsg(ECA_SEVERITY.WARNING, 53),
  UNAVAILINSERV: defMsg(ECA_SEVERITY.WARNING, 54),
  CHANDESTROY: defMsg(ECA_SEVERITY.WARNING, 55),
  BADPRIORITY: defMsg(ECA_SEVERITY.ERROR, 56),
  NOTTHREADED: defMsg(ECA_SEVERITY.ERROR, 57),
  '16KARRAYCLIENT': defMsg(ECA_SEVERITY.WARNING, 58),
  CONNSEQTMO: defMsg(ECA_SEVERITY.WARNING, 59),
  UNRESPTMO: defMsg(ECA_SEVERITY.WARNING, 60),
} as const

/** Message texts indexed by message number (status >> 3), worded after caerr.h's table. */
const ECA_MESSAGES: readonly string[] = [
  'Normal successful completion',
  'Maximum simultaneous IOC connections exceeded',
  'Unknown internet host',
  'Unknown internet service',
  'Unable to allocate a new socket',
  'Unable to connect to internet host or service',
  'Unable to allocate additional dynamic memory',
  'Unknown IO channel',
  'Record field specified inappropriate for channel specified',
  'The requested transfer is greater than available memory or EPICS_CA_MAX_ARRAY_BYTES',
  'User specified timeout on IO operation expired',
  'Sorry, that feature is planned but not supported at this time',
  'The supplied string is unusually large',
  'The request was ignored because the specified channel is disconnected',
  'The data type specified is invalid',
  'Remote channel not found',
  'Unable to locate all user specified channels',
  'Channel Access internal failure',
  'The requested local DB operation failed',
  'Channel read request failed',
  'Channel write request failed',
  'Channel subscription request failed',
  'Invalid element count requested',
  'Invalid string',
  'Virtual circuit disconnect',
  'Identical process variable names on multiple servers',
  'Request inappropriate within subscription (monitor) update callback',
  'Database value get for that channel failed during channel search',
  'Unable to initialize without the vxWorks VX_FP_TASK task option set',
  'Event queue overflow has prevented first pass event after event add',
  'Bad event subscription (monitor) identifier',
  'Remote channel has new network address',
  'New or resumed network connection',
  'Specified task is not a member of a CA context',
  'Attempt to use defunct CA feature failed',
  'The supplied string is empty',
  'Unable to spawn the CA repeater thread; auto reconnect will fail',
  'No channel id match for search reply; search reply ignored',
  'Resetting dead connection; will try to reconnect',
  'Server (IOC) has fallen behind or is not responding; still waiting',
  'No internet interface with broadcast available',
  'Invalid event selection mask',
  'IO operations have completed',
  'IO operations are in progress',
  'Invalid synchronous group identifier',
  'Put callback timed out',
  'Read access denied',
  'Write access denied',
  'Requested feature is no longer supported',
  'Empty PV search address list',
  'No reasonable data conversion between client and server types',
  'Invalid channel identifier',
  'Invalid function pointer',
  'Thread is already attached to a client context',
  'Not supported by attached service',
  'User destroyed channel',
  'Invalid channel priority',
  'Preemptive callback not enabled; additional threads may not join context',
  "Client's protocol revision does not support transfers exceeding 16k bytes",
  'Virtual circuit connection sequence aborted',
  'Virtual circuit unresponsive',
]

const ECA_NAMES = new Map<number, string>(Object.entries(Eca).map(([name, code]) => [code, `ECA_${name}`]))

/** 'ECA_NORDACCESS' for 368; 'ECA_UNKNOWN(n)' otherwise. */
export function ecaName(status: number): string {
  return ECA_NAMES.get(status) ?? `ECA_UNKNOWN(${status})`
}

/** The human-readable text for an ECA status (what ca_message() prints). */
export function ecaMessage(status: number): string {
  return ECA_MESSAGES[status >>> 3] ?? `Unknown ECA status ${status}`
}

/** True for statuses whose severity bit says success (ECA_NORMAL and the INFO codes). */
export function ecaSucceeded(status: number): boolean {
  return (status & 1) === 1
}
