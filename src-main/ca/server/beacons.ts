/**
 * Beacons (RSRV_IS_UP): the first at once, then after 20 ms, 40 ms, … doubling up to the configured period;
 * one beacon ID per round, the same to every destination; the real TCP port. A failed send to one destination
 * is reported and never stops the others or the server.
 */
import { createSocket } from 'node:dgram'
import type { Socket } from 'node:dgram'
import { writeBeacon } from '../wire/messages'
import type { AddressAndPort, CaServerConfig } from './config'
import { broadcastAddressesOf } from './udp-search'

export const FIRST_BEACON_INTERVAL_MS = 20

/** The delays between beacon rounds: 20 ms doubling to the maximum period (pure, for testing). */
export class BeaconSchedule {
  private interval = 0

  constructor(private readonly maxPeriodMs: number) {}

  /** Milliseconds to wait after a round before the next one (the first round goes out at once). */
  next(): number {
    this.interval =
      this.interval === 0 ? FIRST_BEACON_INTERVAL_MS : Math.min(this.interval * 2, this.maxPeriodMs)
    return Math.min(this.interval, this.maxPeriodMs)
  }

  /** Starts the fast schedule again (e.g. after the server was paused). */
  restart(): void {
    this.interval = 0
  }
}

/** Where beacons go: the configured list plus, if enabled, every interface's broadcast address. */
export function beaconDestinations(config: CaServerConfig): AddressAndPort[] {
  const destinations = [...config.beaconAddresses]
  if (config.autoBeaconAddresses) {
    const scope = config.interfaces.length > 0 ? config.interfaces : 'all'
    for (const host of broadcastAddressesOf(scope)) destinations.push({ host, port: config.beaconPort })
  }
  const seen = new Set<string>()
  return destinations.filter((d) => {
    const key = `${d.host}:${d.port}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export class BeaconSender {
  private readonly schedule: BeaconSchedule
  private readonly socket: Socket
  private timer: NodeJS.Timeout | undefined
  private beaconId = 0
  private closed = false
  /** Rounds sent so far. */
  rounds = 0

  constructor(
    private readonly destinations: readonly AddressAndPort[],
    private readonly tcpPort: number,
    periodSeconds: number,
    private readonly onError: (message: string) => void,
  ) {
    this.schedule = new BeaconSchedule(Math.max(1, periodSeconds * 1000))
    this.socket = createSocket({ type: 'udp4' })
    this.socket.on('error', (error) => this.onError(`beacon socket: ${error.message}`))
  }

  start(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.bind(0, () => {
        try {
          this.socket.setBroadcast(true)
        } catch (error) {
          this.onError(`cannot enable broadcast for beacons: ${String(error)}`)
        }
        this.tick()
        resolve()
      })
    })
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    try {
      this.socket.close()
    } catch {
      // already closed
    }
  }

  private tick(): void {
    if (this.closed) return
    this.sendRound()
    this.timer = setTimeout(() => this.tick(), this.schedule.next())
    this.timer.unref()
  }

  private sendRound(): void {
    const beacon = Buffer.allocUnsafe(16)
    writeBeacon(beacon, 0, this.tcpPort, this.beaconId)
    this.beaconId = (this.beaconId + 1) >>> 0
    this.rounds++
    for (const destination of this.destinations) {
      try {
        this.socket.send(beacon, destination.port, destination.host, (error) => {
          if (error)
            this.onError(`beacon to ${destination.host}:${destination.port} failed: ${error.message}`)
        })
      } catch (error) {
        this.onError(`beacon to ${destination.host}:${destination.port} failed: ${String(error)}`)
      }
    }
  }
}
