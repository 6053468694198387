/**
 * The traffic recorder's events as the live stream carries them: the client becomes a key into a table sent
 * once per batch, so a burst of events from one client does not repeat its identity in every row.
 */
import type { LiveClientRef, LiveTrafficEvent } from '@shared/api/live'
import type { TrafficClient, TrafficEvent } from '../../ioc'

/** The circuit id writes from the studio carry (real circuits count up from 1; UDP searchers are 0). */
export const STUDIO_CIRCUIT_ID = -1

export function clientKey(client: TrafficClient): string {
  if (client.circuitId === STUDIO_CIRCUIT_ID) return 'studio'
  if (client.circuitId === 0) return `udp:${client.address}:${client.port}`
  return `c${client.circuitId}`
}

export function clientRef(client: TrafficClient): LiveClientRef {
  return {
    key: clientKey(client),
    circuitId: client.circuitId,
    address: client.address,
    port: client.port,
    host: client.host,
    user: client.user,
  }
}

/** Converts one event, adding its client to `clients` when it has one. */
export function toLiveEvent(event: TrafficEvent, clients: Record<string, LiveClientRef>): LiveTrafficEvent {
  let key: string | null = null
  if (event.client) {
    key = clientKey(event.client)
    // The latest identity wins: HOST_NAME / CLIENT_NAME may arrive after the first events of a circuit.
    clients[key] = clientRef(event.client)
  }
  const live: { -readonly [K in keyof LiveTrafficEvent]: LiveTrafficEvent[K] } = {
    seq: event.seq,
    time: event.time,
    op: event.op,
    pv: event.pv,
    client: key,
    dbrType: event.dbrType,
    count: event.count,
    value: event.value,
    status: event.status,
    ok: event.ok,
  }
  if (event.oldValue !== undefined) live.oldValue = event.oldValue
  if (event.newValue !== undefined) live.newValue = event.newValue
  if (event.message !== undefined) live.message = event.message
  if (event.hookMs !== undefined) live.hookMs = round3(event.hookMs)
  if (event.durationMs !== undefined) live.durationMs = round3(event.durationMs)
  return live
}

/** Microsecond resolution is plenty for a latency column and keeps the JSON short. */
function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
