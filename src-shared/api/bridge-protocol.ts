/**
 * The browser bridge's wire format: JSON text frames over one WebSocket at `/bridge`. The renderer sends
 * requests and (un)subscriptions; the backend answers each request once and pushes events for the streams the
 * socket subscribed to. Names and arguments are checked by `./validate` on arrival, not here: this module only
 * checks the envelope, and a frame with a broken envelope is a protocol error that closes that one socket.
 */
import type { ApiErrorInfo } from './errors'

export const BRIDGE_PATH = '/bridge'
/** Query parameter (and cookie name, for follow-up requests) that carries the access token. */
export const TOKEN_PARAM = 'token'
/** WebSocket close code for a frame that breaks the envelope (1008: policy violation). */
export const CLOSE_PROTOCOL_ERROR = 1008

export type ClientMessage =
  | { readonly type: 'request'; readonly id: number; readonly name: string; readonly args: unknown }
  | { readonly type: 'subscribe'; readonly stream: string }
  | { readonly type: 'unsubscribe'; readonly stream: string }

export type ServerMessage =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: ApiErrorInfo }
  | { readonly type: 'event'; readonly stream: string; readonly payload: unknown }

export class BridgeProtocolError extends Error {
  override readonly name = 'BridgeProtocolError'
}

/** Parses a frame from the renderer. Throws `BridgeProtocolError` when it is not a well-formed envelope. */
export function parseClientMessage(text: string): ClientMessage {
  const message = parseObject(text)
  switch (message.type) {
    case 'request':
      if (!Number.isSafeInteger(message.id) || (message.id as number) < 0) {
        throw new BridgeProtocolError('request without a valid id')
      }
      if (typeof message.name !== 'string') throw new BridgeProtocolError('request without a name')
      return { type: 'request', id: message.id as number, name: message.name, args: message.args }
    case 'subscribe':
    case 'unsubscribe':
      if (typeof message.stream !== 'string')
        throw new BridgeProtocolError(`${message.type} without a stream`)
      return { type: message.type, stream: message.stream }
    default:
      throw new BridgeProtocolError(`unknown message type ${JSON.stringify(message.type)}`)
  }
}

/** Parses a frame from the backend. Throws `BridgeProtocolError` when it is not a well-formed envelope. */
export function parseServerMessage(text: string): ServerMessage {
  const message = parseObject(text)
  switch (message.type) {
    case 'reply':
      if (!Number.isSafeInteger(message.id)) throw new BridgeProtocolError('reply without a valid id')
      if (message.ok === true)
        return { type: 'reply', id: message.id as number, ok: true, result: message.result }
      if (message.ok === false) {
        return { type: 'reply', id: message.id as number, ok: false, error: message.error as ApiErrorInfo }
      }
      throw new BridgeProtocolError('reply without ok')
    case 'event':
      if (typeof message.stream !== 'string') throw new BridgeProtocolError('event without a stream')
      return { type: 'event', stream: message.stream, payload: message.payload }
    default:
      throw new BridgeProtocolError(`unknown message type ${JSON.stringify(message.type)}`)
  }
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new BridgeProtocolError('frame is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BridgeProtocolError('frame is not a JSON object')
  }
  return value as Record<string, unknown>
}
