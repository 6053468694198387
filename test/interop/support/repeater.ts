/**
 * A CA repeater for the interop suites (ca-protocol.md §2.5). Debian packages libca but not the caRepeater
 * program, so without this libca clients never hear beacons. Clients register with REPEATER_REGISTER and get
 * REPEATER_CONFIRM; every other datagram (the server's beacons) is forwarded to each registered client, with a
 * beacon's zero address filled in from the sender.
 */
import { createSocket } from 'node:dgram'
import type { RemoteInfo, Socket } from 'node:dgram'

const REPEATER_CONFIRM = 17
const REPEATER_REGISTER = 24
const RSRV_IS_UP = 13

export class TestRepeater {
  /** Beacons forwarded so far, and the TCP port (count field) the last one advertised. */
  beaconsForwarded = 0
  lastBeaconPort = 0
  private readonly clients = new Map<string, RemoteInfo>()

  private constructor(private readonly socket: Socket) {
    socket.on('message', (datagram, from) => this.onDatagram(datagram, from))
    socket.on('error', () => {})
  }

  static async start(port: number): Promise<TestRepeater> {
    const socket = createSocket({ type: 'udp4', reuseAddr: false })
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(port, '127.0.0.1', () => {
        socket.off('error', reject)
        resolve()
      })
    })
    return new TestRepeater(socket)
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()))
  }

  private onDatagram(datagram: Buffer, from: RemoteInfo): void {
    if (datagram.length >= 16 && datagram.readUInt16BE(0) === REPEATER_REGISTER) {
      this.clients.set(`${from.address}:${from.port}`, from)
      const confirm = Buffer.alloc(16)
      confirm.writeUInt16BE(REPEATER_CONFIRM, 0)
      confirm.writeUInt32BE(ipv4(from.address), 12)
      this.socket.send(confirm, from.port, from.address)
      return
    }
    let forwarded = datagram
    if (datagram.length >= 16 && datagram.readUInt16BE(0) === RSRV_IS_UP) {
      this.beaconsForwarded++
      this.lastBeaconPort = datagram.readUInt16BE(6)
      if (datagram.readUInt32BE(12) === 0) {
        forwarded = Buffer.from(datagram)
        forwarded.writeUInt32BE(ipv4(from.address), 12)
      }
    }
    for (const client of this.clients.values()) {
      if (client.port !== from.port || client.address !== from.address) {
        this.socket.send(forwarded, client.port, client.address)
      }
    }
  }
}

function ipv4(address: string): number {
  return address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0) >>> 0
}
