/**
 * Which channels each client holds, by PV, followed from the traffic recorder's events: the CA server reports
 * counts per circuit, the Clients view also lists the names. Bounded: at most `maxPerClient` PVs are
 * remembered per circuit (the counts stay right; the list says it is cut).
 */
import type { LiveClientChannel } from '@shared/api/live'
import type { TrafficEvent } from '../../ioc'

interface Use {
  channels: number
  monitors: number
}

export class ClientChannels {
  private readonly circuits = new Map<number, Map<string, Use>>()

  constructor(private readonly maxPerClient = 10_000) {}

  /** Feeds one event; returns true when it changed a client's channels. */
  record(event: TrafficEvent): boolean {
    const circuitId = event.client?.circuitId
    if (circuitId === undefined || circuitId <= 0) return false
    switch (event.op) {
      case 'connect':
        return event.ok && this.adjust(circuitId, event.pv, 1, 0)
      case 'disconnect':
        return this.adjust(circuitId, event.pv, -1, 0)
      case 'monitor-add':
        return this.adjust(circuitId, event.pv, 0, 1)
      case 'monitor-cancel':
        return this.adjust(circuitId, event.pv, 0, -1)
      case 'client-disconnect':
        return this.circuits.delete(circuitId)
      default:
        return false
    }
  }

  /** The client's channels, by PV name. */
  of(circuitId: number): LiveClientChannel[] {
    const uses = this.circuits.get(circuitId)
    if (!uses) return []
    const list: LiveClientChannel[] = []
    for (const [pv, use] of uses) list.push({ pv, channels: use.channels, monitors: use.monitors })
    return list.sort((a, b) => (a.pv < b.pv ? -1 : a.pv > b.pv ? 1 : 0))
  }

  /** Forgets circuits that are no longer connected (their disconnect event may have been missed). */
  retain(connected: ReadonlySet<number>): void {
    for (const circuitId of this.circuits.keys())
      if (!connected.has(circuitId)) this.circuits.delete(circuitId)
  }

  clear(): void {
    this.circuits.clear()
  }

  private adjust(circuitId: number, pv: string, channels: number, monitors: number): boolean {
    let uses = this.circuits.get(circuitId)
    if (!uses) {
      uses = new Map()
      this.circuits.set(circuitId, uses)
    }
    let use = uses.get(pv)
    if (!use) {
      if (channels <= 0 && monitors <= 0) return false
      if (uses.size >= this.maxPerClient) return false
      use = { channels: 0, monitors: 0 }
      uses.set(pv, use)
    }
    use.channels = Math.max(0, use.channels + channels)
    // A cleared channel takes its subscriptions with it, silently (as the recorder counts them).
    use.monitors = use.channels === 0 ? 0 : Math.max(0, use.monitors + monitors)
    if (use.channels === 0) uses.delete(pv)
    return true
  }
}
