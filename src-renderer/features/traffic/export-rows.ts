/**
 * The inspector's visible rows as CSV (RFC 4180: comma-separated, quoted where needed, CRLF) or JSON, with the
 * client spelled out in each row. Times are ISO 8601 in UTC.
 */
import type { LiveClientRef, LivePutLogEntry, LiveTrafficEvent } from '@shared/api/live'

export interface ExportedEvent {
  readonly seq: number
  readonly time: string
  readonly op: string
  readonly pv: string
  readonly client: string
  readonly address: string
  readonly host: string
  readonly user: string
  readonly dbrType: string
  readonly count: number
  readonly value: string
  readonly oldValue: string
  readonly newValue: string
  readonly status: string
  readonly ok: boolean
  readonly hookMs: number | null
  readonly durationMs: number | null
  readonly message: string
}

const COLUMNS: readonly (keyof ExportedEvent)[] = [
  'seq',
  'time',
  'op',
  'pv',
  'client',
  'address',
  'host',
  'user',
  'dbrType',
  'count',
  'value',
  'oldValue',
  'newValue',
  'status',
  'ok',
  'hookMs',
  'durationMs',
  'message',
]

export function exportedEvent(event: LiveTrafficEvent, client: LiveClientRef | undefined): ExportedEvent {
  return {
    seq: event.seq,
    time: new Date(event.time).toISOString(),
    op: event.op,
    pv: event.pv,
    client: event.client ?? '',
    address: client ? `${client.address}:${client.port}` : '',
    host: client?.host ?? '',
    user: client?.user ?? '',
    dbrType: event.dbrType,
    count: event.count,
    value: event.value,
    oldValue: event.oldValue ?? '',
    newValue: event.newValue ?? '',
    status: event.status,
    ok: event.ok,
    hookMs: event.hookMs ?? null,
    durationMs: event.durationMs ?? null,
    message: event.message ?? '',
  }
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value)
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

function csv<T>(columns: readonly (keyof T)[], rows: readonly T[]): string {
  const lines = [columns.join(',')]
  for (const row of rows) lines.push(columns.map((column) => csvField(row[column])).join(','))
  return `${lines.join('\r\n')}\r\n`
}

export function eventsToCsv(rows: readonly ExportedEvent[]): string {
  return csv(COLUMNS, rows)
}

export function eventsToJson(rows: readonly ExportedEvent[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`
}

export interface ExportedPut {
  readonly time: string
  readonly pv: string
  readonly client: string
  readonly address: string
  readonly oldValue: string
  readonly newValue: string
}

export function exportedPut(entry: LivePutLogEntry): ExportedPut {
  const client = entry.client
  return {
    time: new Date(entry.time).toISOString(),
    pv: entry.pv,
    client: client ? (client.user ? `${client.user}@${client.host || client.address}` : client.host) : '',
    address: client ? client.address : '',
    oldValue: entry.oldValue,
    newValue: entry.newValue,
  }
}

export function putsToCsv(rows: readonly ExportedPut[]): string {
  return csv<ExportedPut>(['time', 'pv', 'client', 'address', 'oldValue', 'newValue'], rows)
}
