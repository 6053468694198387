import { createSocket } from 'node:dgram'
import { describe, expect, it } from 'vitest'
import { StaticPvProvider } from '../../../test/support/static-provider'
import { Command } from '../wire/protocol'
import { BeaconSchedule, beaconDestinations } from './beacons'
import { startCaServer } from './ca-server'
import { DEFAULT_CA_SERVER_CONFIG } from './config'
import { parseDatagram } from './testing/raw-client'

describe('BeaconSchedule', () => {
  it('starts at 20 ms and doubles up to the period', () => {
    const schedule = new BeaconSchedule(15_000)
    const delays = Array.from({ length: 14 }, () => schedule.next())
    expect(delays).toEqual([20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240, 15000, 15000, 15000, 15000])
    schedule.restart()
    expect(schedule.next()).toBe(20)
  })

  it('never exceeds a short period', () => {
    const schedule = new BeaconSchedule(50)
    expect([schedule.next(), schedule.next(), schedule.next()]).toEqual([20, 40, 50])
  })
})

describe('beaconDestinations', () => {
  it('uses the configured list, without duplicates, and no broadcast addresses when AUTO is off', () => {
    const destinations = beaconDestinations({
      ...DEFAULT_CA_SERVER_CONFIG,
      autoBeaconAddresses: false,
      beaconAddresses: [
        { host: '127.0.0.1', port: 15301 },
        { host: '127.0.0.1', port: 15301 },
        { host: '10.0.0.255', port: 5065 },
      ],
    })
    expect(destinations).toEqual([
      { host: '127.0.0.1', port: 15301 },
      { host: '10.0.0.255', port: 5065 },
    ])
  })
})

describe('beacons on the wire', () => {
  it('go out at once, then after 20, 40, 80 ms…, one ID per round, carrying the TCP port', async () => {
    const listener = createSocket('udp4')
    const arrivals: { at: number; bytes: Buffer }[] = []
    listener.on('message', (bytes) => arrivals.push({ at: performance.now(), bytes }))
    await new Promise<void>((resolve) => listener.bind(15301, '127.0.0.1', resolve))
    const started = performance.now()
    const server = await startCaServer({
      provider: new StaticPvProvider(),
      env: {},
      config: {
        serverPort: 15300,
        autoBeaconAddresses: false,
        // one bad destination must not stop the others
        beaconAddresses: [
          { host: '256.1.1.1', port: 15301 },
          { host: '127.0.0.1', port: 15301 },
        ],
      },
    })
    await new Promise((resolve) => setTimeout(resolve, 400))
    await server.close()
    listener.close()
    const beacons = arrivals.map((a) => parseDatagram(a.bytes)[0])
    expect(beacons.length).toBeGreaterThanOrEqual(5)
    expect(beacons.length).toBeLessThanOrEqual(6)
    for (const [i, beacon] of beacons.entries()) {
      expect([beacon.command, beacon.dataType, beacon.count, beacon.parameter1, beacon.parameter2]).toEqual([
        Command.RSRV_IS_UP,
        13,
        server.tcpPort,
        i,
        0,
      ])
    }
    const times = arrivals.map((a) => a.at - started)
    expect(times[0]).toBeLessThan(150)
    // Rounds after 20, 40, 80, 160 ms: round k goes out at least 20 * (2^k - 1) ms after the first. Timers may
    // run late on a busy machine, never early; a datagram can arrive late, never before it was sent, so only
    // these lower bounds hold (gaps between arrivals can shrink when one arrival was delayed).
    for (let k = 1; k <= 4; k++) expect(times[k]).toBeGreaterThanOrEqual(20 * (2 ** k - 1) - 2)
  })
})
