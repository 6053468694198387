import { afterEach, describe, expect, it } from 'vitest'
import { Backend } from '../../backend'
import { BridgeSession } from './bridge-session'
import { StreamFanout } from './stream-fanout'

/** A session and the frames it sent, with no socket: the protocol logic is tested on its own. */
function harness(backend: Backend, fanout = new StreamFanout(backend)) {
  const sent: unknown[] = []
  const closed: Array<[number, string]> = []
  const session = new BridgeSession(backend, fanout, {
    send: (frame) => sent.push(JSON.parse(frame)),
    close: (code, reason) => closed.push([code, reason]),
  })
  return { session, sent, closed, fanout }
}

const backends: Backend[] = []
function backend(): Backend {
  const created = new Backend({
    host: 'browser',
    version: '0.0.1',
    launchCaServer: () => Promise.reject(new Error('not in this test')),
    flushIntervalMs: 5,
  })
  backends.push(created)
  return created
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.dispose()))
})

describe('BridgeSession', () => {
  it('answers every request once, by id (in completion order, not arrival order)', async () => {
    const { session, sent } = harness(backend())
    session.receive(JSON.stringify({ type: 'request', id: 1, name: 'getAppInfo', args: [] }))
    session.receive(JSON.stringify({ type: 'request', id: 2, name: 'getRecentLog', args: [0] }))
    session.receive(JSON.stringify({ type: 'request', id: 3, name: 'dispose', args: [] }))
    await settle()
    expect(sent).toHaveLength(3)
    expect(sent.sort((a, b) => (a as { id: number }).id - (b as { id: number }).id)).toEqual([
      {
        type: 'reply',
        id: 1,
        ok: true,
        result: expect.objectContaining({ name: 'IOC Studio', host: 'browser' }),
      },
      {
        type: 'reply',
        id: 2,
        ok: false,
        error: {
          code: 'bad-arguments',
          message: "getRecentLog: argument 'limit' must be an integer from 1 to 5000, got 0",
        },
      },
      {
        type: 'reply',
        id: 3,
        ok: false,
        error: { code: 'unknown-method', message: 'Unknown request "dispose"' },
      },
    ])
  })

  it('pushes events of subscribed streams until unsubscribed', async () => {
    const b = backend()
    const { session, sent } = harness(b)
    session.receive('{"type":"subscribe","stream":"onDidLog"}')
    session.receive('{"type":"subscribe","stream":"onDidLog"}')
    b.log('info', 'test', 'hello')
    await settle()
    expect(sent).toEqual([
      {
        type: 'event',
        stream: 'onDidLog',
        payload: [expect.objectContaining({ message: 'hello', source: 'test' })],
      },
    ])
    session.receive('{"type":"unsubscribe","stream":"onDidLog"}')
    b.log('info', 'test', 'unheard')
    await settle()
    expect(sent).toHaveLength(1)
  })

  it('closes only itself on a broken frame, and lets go of its subscriptions', async () => {
    const b = backend()
    const fanout = new StreamFanout(b)
    const bad = harness(b, fanout)
    const good = harness(b, fanout)
    bad.session.receive('{"type":"subscribe","stream":"onDidLog"}')
    good.session.receive('{"type":"subscribe","stream":"onDidLog"}')
    expect(fanout.openStreams).toBe(1)

    bad.session.receive('{"type":"request","name":"getAppInfo"}')
    expect(bad.closed).toEqual([[1008, 'request without a valid id']])
    bad.session.receive('{"type":"request","id":9,"name":"getAppInfo","args":[]}')

    b.log('info', 'test', 'still here')
    await settle()
    expect(bad.sent).toEqual([])
    expect(good.sent).toHaveLength(1)
    good.session.dispose()
    expect(fanout.openStreams).toBe(0)
  })

  it('closes on an unknown stream, naming it', () => {
    const { session, closed } = harness(backend())
    session.receive('{"type":"subscribe","stream":"onDidEverything"}')
    expect(closed).toEqual([[1008, 'Unknown stream "onDidEverything"']])
  })

  it('sends nothing after it is disposed, even for requests still running', async () => {
    const { session, sent } = harness(backend())
    session.receive(JSON.stringify({ type: 'request', id: 1, name: 'getServerStatus', args: [] }))
    session.dispose()
    await settle()
    expect(sent).toEqual([])
  })
})

describe('StreamFanout', () => {
  it('encodes each event once for all sockets', async () => {
    const b = backend()
    const fanout = new StreamFanout(b)
    const frames: string[] = []
    const a = fanout.add('onDidLog', (frame) => frames.push(frame))
    fanout.add('onDidLog', (frame) => frames.push(frame))
    b.log('info', 'test', 'shared')
    await settle()
    expect(frames).toHaveLength(2)
    expect(frames[0]).toBe(frames[1])
    a.dispose()
    expect(fanout.openStreams).toBe(1)
    fanout.dispose()
    expect(fanout.openStreams).toBe(0)
  })
})
