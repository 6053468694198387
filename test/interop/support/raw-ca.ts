/**
 * A deliberately small Channel Access client over raw sockets, written from ca-protocol.md and independent of
 * src-main/ca/wire, so the tests do not check the server with its own encoders. It builds exact bytes
 * (including broken ones, for the fuzz test) and parses whatever comes back.
 */
import { createConnection } from 'node:net'
import type { Socket } from 'node:net'

export const Cmd = {
  VERSION: 0,
  EVENT_ADD: 1,
  EVENT_CANCEL: 2,
  WRITE: 4,
  SEARCH: 6,
  ERROR: 11,
  CLEAR_CHANNEL: 12,
  NOT_FOUND: 14,
  READ_NOTIFY: 15,
  CREATE_CHAN: 18,
  WRITE_NOTIFY: 19,
  CLIENT_NAME: 20,
  HOST_NAME: 21,
  ACCESS_RIGHTS: 22,
  ECHO: 23,
  CREATE_CH_FAIL: 26,
  SERVER_DISCONN: 27,
} as const

export const ECA_NORMAL = 1
export const ECA_NOWTACCESS = 376

export interface CaMessage {
  readonly command: number
  readonly dataType: number
  readonly count: number
  readonly p1: number
  readonly p2: number
  readonly payload: Buffer
}

/** A 16-byte header; `postsize` is taken as given (the fuzz test lies about it on purpose). */
export function header(
  command: number,
  postsize: number,
  dataType: number,
  count: number,
  p1: number,
  p2: number,
) {
  const b = Buffer.alloc(16)
  b.writeUInt16BE(command & 0xffff, 0)
  b.writeUInt16BE(postsize & 0xffff, 2)
  b.writeUInt16BE(dataType & 0xffff, 4)
  b.writeUInt16BE(count & 0xffff, 6)
  b.writeUInt32BE(p1 >>> 0, 8)
  b.writeUInt32BE(p2 >>> 0, 12)
  return b
}

/** A 24-byte extended header announcing `size` payload bytes and `count` elements. */
export function extendedHeader(
  command: number,
  dataType: number,
  p1: number,
  p2: number,
  size: number,
  count: number,
) {
  const b = Buffer.alloc(24)
  header(command, 0xffff, dataType, 0, p1, p2).copy(b)
  b.writeUInt32BE(size >>> 0, 16)
  b.writeUInt32BE(count >>> 0, 20)
  return b
}

/** A well-formed message: payload zero-padded to a multiple of 8. */
export function message(
  command: number,
  dataType = 0,
  count = 0,
  p1 = 0,
  p2 = 0,
  payload: Buffer = Buffer.alloc(0),
) {
  const padded = Buffer.alloc(Math.ceil(payload.length / 8) * 8)
  payload.copy(padded)
  return Buffer.concat([header(command, padded.length, dataType, count, p1, p2), padded])
}

export function cString(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'latin1')
}

/** What libca sends first on a circuit: VERSION (priority 0, minor 13), CLIENT_NAME, HOST_NAME. */
export function greeting(user = 'raw-client', host = 'localhost'): Buffer {
  return Buffer.concat([
    message(Cmd.VERSION, 0, 13),
    message(Cmd.CLIENT_NAME, 0, 0, 0, 0, cString(user)),
    message(Cmd.HOST_NAME, 0, 0, 0, 0, cString(host)),
  ])
}

export function createChan(name: string, cid: number): Buffer {
  return message(Cmd.CREATE_CHAN, 0, 0, cid, 13, cString(name))
}

export function readNotify(sid: number, dbrType: number, count: number, ioid: number): Buffer {
  return message(Cmd.READ_NOTIFY, dbrType, count, sid, ioid)
}

export function eventAdd(sid: number, dbrType: number, count: number, subscriptionId: number, mask: number) {
  const payload = Buffer.alloc(16)
  payload.writeUInt16BE(mask, 12)
  return message(Cmd.EVENT_ADD, dbrType, count, sid, subscriptionId, payload)
}

export function writeDouble(command: number, sid: number, ioid: number, value: number): Buffer {
  const payload = Buffer.alloc(8)
  payload.writeDoubleBE(value)
  return message(command, 6, 1, sid, ioid, payload)
}

/** Splits a byte stream into messages; keeps the unfinished tail for the next chunk. */
export class MessageReader {
  private pending: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): CaMessage[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk
    const out: CaMessage[] = []
    let at = 0
    for (;;) {
      if (this.pending.length - at < 16) break
      let size = this.pending.readUInt16BE(at + 2)
      let count = this.pending.readUInt16BE(at + 6)
      let headerSize = 16
      if (size === 0xffff) {
        if (this.pending.length - at < 24) break
        size = this.pending.readUInt32BE(at + 16)
        count = this.pending.readUInt32BE(at + 20)
        headerSize = 24
      }
      if (this.pending.length - at < headerSize + size) break
      out.push({
        command: this.pending.readUInt16BE(at),
        dataType: this.pending.readUInt16BE(at + 4),
        count,
        p1: this.pending.readUInt32BE(at + 8),
        p2: this.pending.readUInt32BE(at + 12),
        payload: this.pending.subarray(at + headerSize, at + headerSize + size),
      })
      at += headerSize + size
    }
    this.pending = this.pending.subarray(at)
    return out
  }
}

/** One TCP circuit: collects every message; `next` waits for one that matches. */
export class RawCircuit {
  readonly received: CaMessage[] = []
  readonly closed: Promise<void>
  bytesReceived = 0
  isClosed = false
  private readonly reader = new MessageReader()
  private waiters: Array<{ match: (m: CaMessage) => boolean; resolve: (m: CaMessage | undefined) => void }> =
    []

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length
      for (const m of this.reader.push(chunk)) {
        this.received.push(m)
        const index = this.waiters.findIndex((w) => w.match(m))
        if (index >= 0) this.waiters.splice(index, 1)[0].resolve(m)
      }
    })
    socket.on('error', () => {})
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.isClosed = true
        for (const w of this.waiters.splice(0)) w.resolve(undefined)
        resolve()
      }),
    )
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawCircuit> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ port, host }, () => {
        socket.off('error', reject)
        resolve(new RawCircuit(socket))
      })
      socket.once('error', reject)
    })
  }

  send(bytes: Buffer): void {
    if (!this.isClosed) this.socket.write(bytes)
  }

  /** The first message (already received or arriving within `timeoutMs`) for which `match` holds. */
  next(match: (m: CaMessage) => boolean, timeoutMs = 2000): Promise<CaMessage | undefined> {
    const seen = this.received.find(match)
    if (seen) {
      this.received.splice(this.received.indexOf(seen), 1)
      return Promise.resolve(seen)
    }
    if (this.isClosed) return Promise.resolve(undefined)
    return new Promise((resolve) => {
      const waiter = {
        match,
        resolve: (m: CaMessage | undefined) => {
          clearTimeout(timer)
          if (m) this.received.splice(this.received.indexOf(m), 1)
          resolve(m)
        },
      }
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        resolve(undefined)
      }, timeoutMs)
      this.waiters.push(waiter)
    })
  }

  /** Opens a channel the way libca does; resolves with the SID, native type, count and rights. */
  async createChannel(name: string, cid: number) {
    this.send(createChan(name, cid))
    const rights = await this.next((m) => m.command === Cmd.ACCESS_RIGHTS && m.p1 === cid)
    const reply = await this.next(
      (m) => (m.command === Cmd.CREATE_CHAN || m.command === Cmd.CREATE_CH_FAIL) && m.p1 === cid,
    )
    if (!reply || reply.command !== Cmd.CREATE_CHAN) throw new Error(`CREATE_CHAN ${name} failed`)
    return { sid: reply.p2, nativeType: reply.dataType, count: reply.count, rights: rights?.p2 ?? -1 }
  }

  /** ECHO round trip: proves the circuit is alive and the server is answering it. */
  async echo(timeoutMs = 2000): Promise<boolean> {
    const tag = (Math.random() * 0xffff) | 0
    this.send(message(Cmd.ECHO, tag, 0, 0, 0))
    return (await this.next((m) => m.command === Cmd.ECHO && m.dataType === tag, timeoutMs)) !== undefined
  }

  close(): void {
    this.socket.destroy()
  }
}
