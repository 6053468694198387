/**
 * A deliberately small CA client over real sockets for tests: it sends bytes built with wire/messages.ts and
 * hands back every message the server sent, parsed by the same framer the server uses. No protocol logic of
 * its own, so a test says exactly which bytes go out and checks exactly what comes back.
 */
import { createSocket } from 'node:dgram'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import type { MessageHeader } from '../../wire/header'
import {
  encodeMessage,
  writeClientName,
  writeCreateChanRequest,
  writeHostName,
  writeVersion,
} from '../../wire/messages'
import { Command } from '../../wire/protocol'
import { MessageFramer } from '../message-framer'

export interface ReceivedMessage {
  readonly command: number
  readonly dataType: number
  readonly count: number
  readonly parameter1: number
  readonly parameter2: number
  readonly payloadSize: number
  readonly extended: boolean
  /** The payload bytes (a copy). */
  readonly payload: Buffer
}

function copyMessage(header: MessageHeader, source: Buffer, payloadStart: number): ReceivedMessage {
  return {
    command: header.command,
    dataType: header.dataType,
    count: header.count,
    parameter1: header.parameter1,
    parameter2: header.parameter2,
    payloadSize: header.payloadSize,
    extended: header.extended,
    payload: Buffer.from(source.subarray(payloadStart, payloadStart + header.payloadSize)),
  }
}

export class RawCaClient {
  readonly received: ReceivedMessage[] = []
  /** The version this client claims (sent in CREATE_CHAN too, as libca does). */
  minorVersion = 13
  private cursor = 0
  private waiters: Array<() => void> = []
  private ended = false
  readonly closed: Promise<void>

  private constructor(readonly socket: Socket) {
    const framer = new MessageFramer(
      {
        onMessage: (header, source, _start, payloadStart) =>
          this.push(copyMessage(header, source, payloadStart)),
        onOversized: () => {
          throw new Error('test client: oversized message')
        },
      },
      1 << 30,
    )
    socket.on('data', (chunk: Buffer) => framer.push(chunk))
    socket.on('error', () => undefined)
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.ended = true
        this.wake()
        resolve()
      }),
    )
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawCaClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => {
        socket.off('error', reject)
        resolve(new RawCaClient(socket))
      })
      socket.once('error', reject)
    })
  }

  /**
   * Connects and does what libca does first: VERSION, CLIENT_NAME, HOST_NAME; then waits for the server's
   * VERSION.
   */
  static async handshake(
    port: number,
    user = 'tester',
    host = 'testhost',
    minorVersion = 13,
  ): Promise<RawCaClient> {
    const client = await RawCaClient.connect(port)
    client.minorVersion = minorVersion
    client.send(
      encodeMessage(writeVersion, 0, minorVersion),
      encodeMessage(writeClientName, user),
      encodeMessage(writeHostName, host),
    )
    const version = await client.next()
    if (version.command !== Command.VERSION) throw new Error(`expected VERSION first, got ${version.command}`)
    return client
  }

  /** Creates a channel; returns [ACCESS_RIGHTS, CREATE_CHAN reply] (or [CREATE_CH_FAIL]). */
  async createChannel(name: string, cid: number): Promise<ReceivedMessage[]> {
    this.send(encodeMessage(writeCreateChanRequest, name, cid, this.minorVersion))
    const first = await this.next()
    if (first.command !== Command.ACCESS_RIGHTS) return [first]
    return [first, await this.next()]
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages))
  }

  /** The next message not yet consumed (in arrival order). */
  async next(timeoutMs = 2000): Promise<ReceivedMessage> {
    const deadline = Date.now() + timeoutMs
    while (this.cursor >= this.received.length) {
      if (this.ended) throw new Error('connection closed while waiting for a message')
      const remaining = deadline - Date.now()
      if (remaining <= 0) throw new Error(`no message within ${timeoutMs} ms`)
      await this.waitForAnything(remaining)
    }
    return this.received[this.cursor++]
  }

  /** Consumes messages until one matches; the skipped ones are returned too (for assertions). */
  async nextMatching(
    predicate: (message: ReceivedMessage) => boolean,
    timeoutMs = 2000,
  ): Promise<{ match: ReceivedMessage; skipped: ReceivedMessage[] }> {
    const skipped: ReceivedMessage[] = []
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const message = await this.next(Math.max(1, deadline - Date.now()))
      if (predicate(message)) return { match: message, skipped }
      skipped.push(message)
    }
  }

  /** Messages that arrive within `ms` (consumed). */
  async drain(ms: number): Promise<ReceivedMessage[]> {
    await new Promise((resolve) => setTimeout(resolve, ms))
    const rest = this.received.slice(this.cursor)
    this.cursor = this.received.length
    return rest
  }

  get isClosed(): boolean {
    return this.ended
  }

  close(): Promise<void> {
    this.socket.destroy()
    return this.closed
  }

  private push(message: ReceivedMessage): void {
    this.received.push(message)
    this.wake()
  }

  private wake(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) waiter()
  }

  private waitForAnything(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      const waiter = (): void => done()
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.waiters.push(waiter)
    })
  }
}

/** Sends one UDP datagram to `port` and collects every datagram that comes back within `waitMs`. */
export async function udpExchange(
  datagram: Buffer,
  port: number,
  waitMs = 150,
  host = '127.0.0.1',
): Promise<Buffer[]> {
  const socket = createSocket('udp4')
  const replies: Buffer[] = []
  socket.on('message', (message) => replies.push(message))
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  await new Promise<void>((resolve, reject) =>
    socket.send(datagram, port, host, (error) => (error ? reject(error) : resolve())),
  )
  await new Promise((resolve) => setTimeout(resolve, waitMs))
  socket.close()
  return replies
}

/** Parses every message of a datagram. */
export function parseDatagram(datagram: Buffer): ReceivedMessage[] {
  const messages: ReceivedMessage[] = []
  const framer = new MessageFramer(
    {
      onMessage: (header, source, _start, payloadStart) =>
        messages.push(copyMessage(header, source, payloadStart)),
      onOversized: () => undefined,
    },
    1 << 30,
  )
  framer.push(datagram)
  return messages
}
