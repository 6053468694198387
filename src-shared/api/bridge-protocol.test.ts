import { describe, expect, it } from 'vitest'
import { BridgeProtocolError, parseClientMessage, parseServerMessage } from './bridge-protocol'

describe('parseClientMessage', () => {
  it('parses requests and subscriptions', () => {
    expect(parseClientMessage('{"type":"request","id":7,"name":"getRecentLog","args":[5]}')).toEqual({
      type: 'request',
      id: 7,
      name: 'getRecentLog',
      args: [5],
    })
    expect(parseClientMessage('{"type":"subscribe","stream":"onDidLog"}')).toEqual({
      type: 'subscribe',
      stream: 'onDidLog',
    })
    expect(parseClientMessage('{"type":"unsubscribe","stream":"onDidLog"}').type).toBe('unsubscribe')
  })

  it('leaves names and arguments to the request validator', () => {
    expect(parseClientMessage('{"type":"request","id":1,"name":"nope","args":"x"}')).toMatchObject({
      name: 'nope',
      args: 'x',
    })
  })

  it.each([
    ['not json', 'frame is not JSON'],
    ['[1]', 'frame is not a JSON object'],
    ['null', 'frame is not a JSON object'],
    ['{"type":"request","name":"getAppInfo"}', 'request without a valid id'],
    ['{"type":"request","id":-1,"name":"getAppInfo"}', 'request without a valid id'],
    ['{"type":"request","id":1.5,"name":"getAppInfo"}', 'request without a valid id'],
    ['{"type":"request","id":1}', 'request without a name'],
    ['{"type":"subscribe"}', 'subscribe without a stream'],
    ['{"type":"launch"}', 'unknown message type "launch"'],
  ])('rejects %s', (frame, message) => {
    expect(() => parseClientMessage(frame)).toThrow(new BridgeProtocolError(message))
  })
})

describe('parseServerMessage', () => {
  it('parses replies and events', () => {
    expect(parseServerMessage('{"type":"reply","id":1,"ok":true,"result":{"a":1}}')).toEqual({
      type: 'reply',
      id: 1,
      ok: true,
      result: { a: 1 },
    })
    expect(
      parseServerMessage('{"type":"reply","id":2,"ok":false,"error":{"code":"failed","message":"no"}}'),
    ).toMatchObject({ ok: false, error: { code: 'failed', message: 'no' } })
    expect(parseServerMessage('{"type":"event","stream":"onDidLog","payload":[]}')).toEqual({
      type: 'event',
      stream: 'onDidLog',
      payload: [],
    })
  })

  it('rejects broken envelopes', () => {
    expect(() => parseServerMessage('{"type":"reply","id":1}')).toThrow('reply without ok')
    expect(() => parseServerMessage('{"type":"event"}')).toThrow('event without a stream')
  })
})
