/**
 * Fuzz: raw TCP circuits and UDP datagrams feed the server random bytes and mutated valid messages (truncated,
 * bit-flipped, misaligned, huge postsize, absurd extended headers, bad commands, SIDs, types and counts). The
 * process must never crash; complete requests that need an answer get one (ERROR or a failed reply) or a closed
 * circuit; a well-behaved circuit opened before the fuzzing still works after it, and a fresh pyepics client
 * gets correct answers.
 *
 * FUZZ_SECONDS (default 3) sets the duration, FUZZ_SEED replays a run (the seed is printed).
 */
import { createSocket } from 'node:dgram'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NativeType } from '../../src-main/ca/wire/snapshot'
import { StaticPvProvider } from '../support/static-provider'
import { pyepics } from '../support/system'
import { runDriver } from './support/python-driver'
import {
  Cmd,
  RawCircuit,
  cString,
  createChan,
  eventAdd,
  extendedHeader,
  greeting,
  header,
  message,
  readNotify,
  writeDouble,
} from './support/raw-ca'
import { startTestServer } from './support/server'
import type { TestServer } from './support/server'

const ports = { serverPort: 16600, repeaterPort: 16601 }
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 3)
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32))
const PARALLEL = 6
const { DOUBLE, LONG, STRING, ENUM } = NativeType
/** Commands a client never sends: the server must refuse them. */
const SERVER_ONLY_COMMANDS = [5, 7, 11, 13, 14, 16, 17, 22, 24, 25, 26, 27]

/** xorshift32: small, fast, and the same sequence for the same seed everywhere. */
function random(seed: number) {
  let s = seed >>> 0 || 0x9e3779b9
  const next = () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 2 ** 32
  }
  const int = (n: number) => Math.floor(next() * n)
  return {
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)],
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))),
  }
}
type Random = ReturnType<typeof random>

interface FuzzCase {
  readonly kind: string
  /** What exactly was sent, for the failure message. */
  readonly detail?: string
  /** Written in this many pieces (framing must not care). */
  readonly chunks: Buffer[]
  /** A complete request that needs an answer: the circuit must answer it (ERROR or a reply) or close. */
  readonly mustAnswer?: { command: number }
  /** Create this channel first (cid 1) and substitute its SID for 0xABAD1DEA in the bytes. */
  readonly channel?: string
}

const SID_PLACEHOLDER = 0xabad1dea
const TARGETS = ['fz:t:double', 'fz:t:wave', 'fz:t:string', 'fz:t:enum', 'fz:t:ro']

/** A plausible client session: greeting, channels, reads, writes and a subscription. */
function validSession(r: Random): Buffer {
  const parts = [greeting()]
  const n = 1 + r.int(3)
  for (let cid = 1; cid <= n; cid++) parts.push(createChan(r.pick(TARGETS), cid))
  for (let i = 0; i < 1 + r.int(4); i++) {
    const sid = r.int(4)
    parts.push(
      r.pick([
        () => readNotify(sid, r.int(39), r.int(3), i),
        () => writeDouble(Cmd.WRITE_NOTIFY, sid, i, r.int(1000)),
        () => writeDouble(Cmd.WRITE, sid, i, r.int(1000)),
        () => eventAdd(sid, r.int(35), r.int(2), i, 1 + r.int(15)),
        () => message(Cmd.EVENT_CANCEL, 6, 1, sid, i),
        () => message(Cmd.CLEAR_CHANNEL, 0, 0, sid, 1),
        () => message(Cmd.ECHO),
      ])(),
    )
  }
  return Buffer.concat(parts)
}

function split(r: Random, bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = []
  let at = 0
  while (at < bytes.length) {
    const size = 1 + r.int(Math.min(64, bytes.length - at))
    chunks.push(bytes.subarray(at, at + size))
    at += size
  }
  return chunks
}

const GENERATORS: Array<(r: Random) => FuzzCase> = [
  (r) => ({ kind: 'random bytes', chunks: [r.bytes(1 + r.int(600))] }),
  (r) => ({ kind: 'greeting then random bytes', chunks: [greeting(), r.bytes(1 + r.int(600))] }),
  (r) => {
    const bytes = validSession(r)
    return { kind: 'truncated session', chunks: [bytes.subarray(0, r.int(bytes.length))] }
  },
  (r) => {
    const bytes = Buffer.from(validSession(r))
    for (let i = 0; i < 1 + r.int(8); i++) bytes[r.int(bytes.length)] ^= 1 << r.int(8)
    return { kind: 'bit-flipped session', chunks: split(r, bytes) }
  },
  (r) => ({ kind: 'session in small pieces', chunks: split(r, validSession(r)) }),
  (r) => {
    const size = 1 + r.int(40)
    const odd = size % 8 === 0 ? size + 3 : size
    return {
      kind: 'misaligned postsize',
      chunks: [
        greeting(),
        header(r.pick([Cmd.CREATE_CHAN, Cmd.CLIENT_NAME, Cmd.WRITE, 23]), odd, 6, 1, 0, 1),
        r.bytes(odd),
      ],
    }
  },
  (r) => ({
    kind: 'huge postsize, short payload',
    chunks: [
      greeting(),
      header(r.pick([Cmd.CREATE_CHAN, Cmd.WRITE, Cmd.HOST_NAME]), 0xfff8, 6, 1, 0, 0),
      r.bytes(r.int(100)),
    ],
  }),
  (r) => {
    const command = r.pick([Cmd.READ_NOTIFY, Cmd.WRITE, Cmd.WRITE_NOTIFY, Cmd.EVENT_ADD, Cmd.CREATE_CHAN])
    return {
      kind: 'extended header, absurd size',
      channel: 'fz:t:wave',
      chunks: [
        extendedHeader(
          command,
          LONG,
          SID_PLACEHOLDER,
          9,
          0xfffffff8 - 8 * r.int(1000),
          0xffffffff - r.int(10),
        ),
      ],
      mustAnswer: { command },
    }
  },
  (r) => {
    const command = r.pick([...SERVER_ONLY_COMMANDS, 28 + r.int(0xffff - 28)])
    return {
      kind: 'bad command',
      detail: `command ${command}`,
      chunks: [greeting(), message(command, r.int(40), r.int(3), r.int(100), r.int(100))],
      mustAnswer: { command },
    }
  },
  (r) => {
    const sid = 1000 + r.int(2 ** 31)
    const [command, bytes] = r.pick([
      () => [Cmd.READ_NOTIFY, readNotify(sid, DOUBLE, 1, 5)] as const,
      () => [Cmd.WRITE_NOTIFY, writeDouble(Cmd.WRITE_NOTIFY, sid, 5, 1)] as const,
      () => [Cmd.WRITE, writeDouble(Cmd.WRITE, sid, 5, 1)] as const,
      () => [Cmd.EVENT_ADD, eventAdd(sid, DOUBLE, 1, 5, 1)] as const,
      () => [Cmd.EVENT_CANCEL, message(Cmd.EVENT_CANCEL, DOUBLE, 1, sid, 5)] as const,
      () => [Cmd.CLEAR_CHANNEL, message(Cmd.CLEAR_CHANNEL, 0, 0, sid, 1)] as const,
    ])()
    return {
      kind: 'unknown SID',
      detail: `SID ${sid} in command ${command}`,
      channel: 'fz:t:double',
      chunks: [bytes],
      mustAnswer: { command },
    }
  },
  (r) => {
    const type = 39 + r.int(0xffff - 39)
    const [command, bytes] = r.pick([
      () => [Cmd.READ_NOTIFY, readNotify(SID_PLACEHOLDER, type, 1, 5)] as const,
      () => [Cmd.EVENT_ADD, eventAdd(SID_PLACEHOLDER, type, 1, 5, 1)] as const,
      () =>
        [Cmd.WRITE_NOTIFY, message(Cmd.WRITE_NOTIFY, type, 1, SID_PLACEHOLDER, 5, Buffer.alloc(8))] as const,
    ])()
    return {
      kind: 'bad DBR type',
      detail: `type ${type} in command ${command}`,
      channel: 'fz:t:double',
      chunks: [bytes],
      mustAnswer: { command },
    }
  },
  (r) => ({
    kind: 'count far above the declared maximum',
    channel: 'fz:t:double',
    chunks: [readNotify(SID_PLACEHOLDER, r.pick([DOUBLE, 20, 34]), 2 + r.int(0xfffe), 5)],
    mustAnswer: { command: Cmd.READ_NOTIFY },
  }),
  (r) => {
    const name = r.pick([
      () => Buffer.alloc(0),
      () => Buffer.from('fz:t:double'),
      () => Buffer.alloc(600 + r.int(60_000), 0x41),
      () => r.bytes(1 + r.int(100)),
    ])()
    return {
      kind: 'channel name abuse',
      chunks: [
        greeting(),
        message(r.pick([Cmd.CREATE_CHAN, Cmd.CLIENT_NAME, Cmd.HOST_NAME]), 0, 0, 1, 13, name),
      ],
    }
  },
]

/** What the circuit did with one case. */
type Outcome = 'closed' | 'answered' | 'silent'

async function runCase(fuzz: FuzzCase): Promise<Outcome> {
  const circuit = await RawCircuit.open(ports.serverPort)
  try {
    let chunks = fuzz.chunks
    if (fuzz.channel) {
      circuit.send(greeting())
      const { sid } = await circuit.createChannel(fuzz.channel, 1)
      chunks = chunks.map((chunk) => replaceSid(chunk, sid))
    }
    for (const chunk of chunks) circuit.send(chunk)
    if (!fuzz.mustAnswer) {
      await Promise.race([circuit.closed, new Promise((r) => setTimeout(r, 30))])
      if (circuit.isClosed) return 'closed'
      // The server's VERSION greeting on accept is not an answer to anything.
      return circuit.received.some((m) => m.command !== Cmd.VERSION) ? 'answered' : 'silent'
    }
    const command = fuzz.mustAnswer.command
    const answer = await circuit.next((m) => m.command === Cmd.ERROR || m.command === command, 1000)
    if (answer) return 'answered'
    return circuit.isClosed ? 'closed' : 'silent'
  } finally {
    circuit.close()
  }
}

function replaceSid(chunk: Buffer, sid: number): Buffer {
  if (chunk.length < 16 || chunk.readUInt32BE(8) !== SID_PLACEHOLDER) return chunk
  const copy = Buffer.from(chunk)
  copy.writeUInt32BE(sid, 8)
  return copy
}

function udpDatagram(r: Random): Buffer {
  const search = (name: Buffer, postsize?: number) =>
    Buffer.concat([
      header(Cmd.SEARCH, postsize ?? name.length, r.pick([5, 10, r.int(0xffff)]), 13, 1, 1),
      name,
    ])
  return r.pick([
    () => r.bytes(1 + r.int(1400)),
    () => Buffer.concat([message(Cmd.VERSION, 1, 13, r.int(1000)), search(cString('fz:t:double'), 0xfff0)]),
    () => Buffer.concat([message(Cmd.VERSION, 1, 13), search(r.bytes(16))]),
    () => Buffer.concat([message(Cmd.VERSION, 1, r.int(0xffff)), search(Buffer.alloc(8), 3)]),
    () =>
      Buffer.concat([
        message(r.int(0xffff), r.int(0xffff), r.int(0xffff), r.int(2 ** 31)),
        r.bytes(r.int(64)),
      ]),
    () => Buffer.from(validSession(r).subarray(0, 1 + r.int(200))),
  ])()
}

const system = pyepics()

describe('fuzz: malformed input never takes the server down', () => {
  let provider: StaticPvProvider
  let server: TestServer

  beforeAll(async () => {
    provider = new StaticPvProvider([
      { name: 'fz:check', type: DOUBLE, value: 1.5 },
      { name: 'fz:check:wave', type: LONG, value: [1, 2, 3], maxCount: 1000 },
      { name: 'fz:t:double', type: DOUBLE, value: 0 },
      { name: 'fz:t:wave', type: LONG, value: [0], maxCount: 1000 },
      { name: 'fz:t:string', type: STRING, value: 'x' },
      { name: 'fz:t:enum', type: ENUM, value: 0, metadata: { enumStrings: ['a', 'b'] } },
      { name: 'fz:t:ro', type: DOUBLE, value: 0, readOnly: true },
    ])
    server = await startTestServer(provider, ports)
  })

  afterAll(async () => {
    await server?.close()
  })

  it(
    `survives ${SECONDS} s of random and mutated messages`,
    { timeout: SECONDS * 1000 + 60_000 },
    async () => {
      console.log(`fuzz seed=${SEED} seconds=${SECONDS} (replay: FUZZ_SEED=${SEED} FUZZ_SECONDS=${SECONDS})`)
      const r = random(SEED)

      // A well-behaved circuit opened before the fuzzing, with a live subscription.
      const healthy = await RawCircuit.open(ports.serverPort)
      healthy.send(greeting('healthy'))
      const check = await healthy.createChannel('fz:check', 1)
      healthy.send(eventAdd(check.sid, DOUBLE, 1, 99, 1))
      expect(
        (await healthy.next((m) => m.command === Cmd.EVENT_ADD && m.p2 === 99))?.payload.readDoubleBE(0),
      ).toBe(1.5)

      const udp = createSocket('udp4')
      udp.on('message', () => {})
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve))

      const tally = new Map<string, Record<Outcome, number>>()
      const unanswered: string[] = []
      const deadline = Date.now() + SECONDS * 1000
      let cases = 0
      while (Date.now() < deadline) {
        const batch = Array.from({ length: PARALLEL }, () => r.pick(GENERATORS)(r))
        for (let i = 0; i < 4; i++) udp.send(udpDatagram(r), ports.serverPort, '127.0.0.1')
        const outcomes = await Promise.all(batch.map(runCase))
        batch.forEach((fuzz, i) => {
          const counts = tally.get(fuzz.kind) ?? { closed: 0, answered: 0, silent: 0 }
          counts[outcomes[i]]++
          tally.set(fuzz.kind, counts)
          if (fuzz.mustAnswer && outcomes[i] === 'silent') {
            unanswered.push(`${fuzz.kind}: ${fuzz.detail ?? ''} (seed ${SEED}, case ${cases + i})`)
          }
        })
        cases += batch.length
        if (cases % (PARALLEL * 20) === 0)
          expect(await healthy.echo(), `healthy circuit after ${cases} cases`).toBe(true)
      }
      udp.close()
      console.log(`fuzz: ${cases} TCP cases, ${(cases / PARALLEL) * 4} UDP datagrams`)
      console.table(Object.fromEntries(tally))

      expect(unanswered).toEqual([])
      // The healthy circuit still answers, reads correctly, and its subscription still delivers.
      expect(await healthy.echo()).toBe(true)
      healthy.send(readNotify(check.sid, DOUBLE, 1, 1234))
      expect(
        (await healthy.next((m) => m.command === Cmd.READ_NOTIFY && m.p2 === 1234))?.payload.readDoubleBE(0),
      ).toBe(1.5)
      provider.set('fz:check', 2.5)
      const update = await healthy.next(
        (m) => m.command === Cmd.EVENT_ADD && m.p2 === 99 && m.payload.length > 0,
      )
      expect(update?.payload.readDoubleBE(0)).toBe(2.5)
      // Every fuzz circuit is gone from the server's books: only the healthy one is left.
      for (let i = 0; i < 100 && server.clients().length > 1; i++) await new Promise((r) => setTimeout(r, 20))
      expect(server.clients()).toHaveLength(1)
      healthy.close()
    },
  )

  it.skipIf(!system.available)('a fresh pyepics client gets correct answers after the fuzzing', async () => {
    const result = await runDriver<{ gets: Array<{ eca: number; value: number[] }> }>(
      'get_matrix.py',
      {
        requests: [
          { name: 'fz:check', type: 20 },
          { name: 'fz:check:wave', type: 5, count: 0 },
        ],
      },
      ports,
    )
    expect(result.gets).toMatchObject([
      { eca: 1, value: [2.5] },
      { eca: 1, value: [1, 2, 3] },
    ])
  })
})
