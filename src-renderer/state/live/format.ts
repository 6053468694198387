/** How live values, times, sizes and clients read in the views. Pure functions. */
import { ALARM_SEVERITY_NAMES, ALARM_STATUS_NAMES, liveNumber } from '@shared/api/live'
import type { LiveClientRef, LivePvInfo, LiveScalar, LiveValue, LiveWriteValue } from '@shared/api/live'

const timeOfDay = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
})

/** 14:03:27.512 */
export function formatTime(ms: number): string {
  return ms > 0 ? timeOfDay.format(ms) : '—'
}

/** 2026-01-02 14:03:27.512 (local time) */
export function formatDateTime(ms: number): string {
  if (ms <= 0) return 'never'
  const date = new Date(ms)
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
  return `${day} ${timeOfDay.format(ms)}`
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

export function formatNumber(value: number, precision: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity'
  if (precision > 0) return value.toFixed(Math.min(precision, 17))
  if (Number.isInteger(value)) return String(value)
  // PREC 0 on a floating-point PV: show what is there, not a rounded integer.
  return String(Number(value.toPrecision(10)))
}

function scalarText(info: LivePvInfo, item: LiveScalar): string {
  if (typeof item === 'string' && info.type === 'STRING') return item
  const number = liveNumber(item)
  if (info.type === 'ENUM') {
    const label = info.enumStrings[number]
    return label === undefined ? String(item) : label
  }
  if (info.type === 'DOUBLE' || info.type === 'FLOAT') return formatNumber(number, info.precision)
  return String(item)
}

/** The value as the table shows it: enum labels, PREC digits, a short list for arrays. */
export function formatValue(info: LivePvInfo, value: LiveValue | undefined, maxItems = 6): string {
  if (!value) return ''
  const data = value.value
  if (info.longString) return String(data)
  if (!Array.isArray(data)) return scalarText(info, data as LiveScalar)
  const shown = data.slice(0, maxItems).map((item) => scalarText(info, item))
  return `[${shown.join(', ')}${value.length > maxItems ? `, … ${value.length} items` : ''}]`
}

/** The value as an editable text: what writing it back unchanged would need. */
export function editableText(info: LivePvInfo, value: LiveValue | undefined): string {
  if (!value) return ''
  const data = value.value
  if (Array.isArray(data)) return data.map((item) => String(item)).join(', ')
  if (info.type === 'ENUM') return scalarText(info, data as LiveScalar)
  return String(data)
}

/** Text typed into a value cell, as the backend takes it: a list for arrays, the text itself otherwise. */
export function parseTypedValue(info: LivePvInfo, text: string): LiveWriteValue {
  if (info.maxLength > 1 && !info.longString && info.type !== 'CHAR') {
    const inner = text
      .trim()
      .replace(/^\[(.*)\]$/s, '$1')
      .trim()
    if (inner === '') return []
    return info.type === 'STRING'
      ? inner.split(',').map((item) => item.trim().replace(/^"(.*)"$/, '$1'))
      : inner.split(/[\s,]+/).filter((item) => item !== '')
  }
  return text
}

export function severityName(severity: number): string {
  return ALARM_SEVERITY_NAMES[severity] ?? String(severity)
}

export function statusName(status: number): string {
  return ALARM_STATUS_NAMES[status] ?? String(status)
}

/** 1.2 kB, 3.4 MB */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = -1
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0'
  if (perSecond < 10) return perSecond.toFixed(1)
  return Math.round(perSecond).toLocaleString('en-US')
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

/** "alice@ws1 (127.0.0.1:51234)", "IOC Studio (operator@lab)", "hook" for internal operations. */
export function describeClient(client: LiveClientRef | undefined, key: string | null): string {
  if (key === null) return 'hook / IOC'
  if (!client) return key
  const who = client.user ? `${client.user}@${client.host || client.address}` : client.host || client.address
  if (client.key === 'studio') return `IOC Studio (${who})`
  if (client.circuitId === 0) return `${client.address}:${client.port} (UDP)`
  return `${who} (${client.address}:${client.port})`
}

/** How long ago, for "connected since": 42 s, 5 min, 3 h 12 min. */
export function formatAge(sinceMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.floor((nowMs - sinceMs) / 1000))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}
