import { parseServerMessage } from './bridge-protocol'
import type { ClientMessage } from './bridge-protocol'
import { REQUEST_NAMES, STREAM_NAMES } from './contract'
import type { IocApi, IocStreams, RequestName, StreamName, Unsubscribe } from './contract'
import { ApiError, fromApiErrorInfo } from './errors'

/** The part of a WebSocket the client uses: the browser's, or `ws` in Node tests. The client opens no socket itself. */
export interface BridgeSocket {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'open' | 'close', listener: () => void): void
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting'

const OPEN = 1
const RETRY_DELAYS_MS = [500, 1000, 2000, 5000]

/**
 * The renderer's end of the browser bridge: the backend API over a WebSocket to `/bridge`, shaped exactly like
 * Electron's `window.ioc`.
 * Requests made while connecting wait for the socket; subscriptions are counted per stream and survive a
 * reconnect (the client subscribes again), while requests in flight when the socket drops reject with an
 * ApiError('disconnected'). Reconnects back off up to 5 s.
 */
export class BridgeClient {
  readonly api: IocApi
  private socket: BridgeSocket | undefined
  private nextId = 1
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  private readonly outbox: string[] = []
  private readonly listeners = new Map<StreamName, Set<(payload: never) => void>>()
  private readonly stateListeners = new Set<(state: ConnectionState) => void>()
  private currentState: ConnectionState = 'connecting'
  private failures = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private disposed = false

  constructor(
    private readonly url: string,
    private readonly openSocket: (url: string) => BridgeSocket,
  ) {
    this.api = Object.fromEntries([
      ...REQUEST_NAMES.map((name) => [name, (...args: unknown[]) => this.request(name, args)]),
      ...STREAM_NAMES.map((stream) => [stream, (listener: never) => this.subscribe(stream, listener)]),
    ]) as IocApi
    this.connect()
  }

  get state(): ConnectionState {
    return this.currentState
  }

  onDidChangeState(listener: (state: ConnectionState) => void): Unsubscribe {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  dispose(): void {
    this.disposed = true
    clearTimeout(this.retryTimer)
    this.socket?.close(1000, 'client closed')
    this.failPending()
  }

  private request(name: RequestName, args: unknown[]): Promise<unknown> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.send({ type: 'request', id, name, args })
    })
  }

  private subscribe<S extends StreamName>(
    stream: S,
    listener: (payload: IocStreams[S]) => void,
  ): Unsubscribe {
    let set = this.listeners.get(stream)
    if (!set) {
      set = new Set()
      this.listeners.set(stream, set)
      this.send({ type: 'subscribe', stream })
    }
    const entry = listener as (payload: never) => void
    set.add(entry)
    return () => {
      const current = this.listeners.get(stream)
      if (!current?.delete(entry) || current.size > 0) return
      this.listeners.delete(stream)
      this.send({ type: 'unsubscribe', stream })
    }
  }

  private send(message: ClientMessage): void {
    const frame = JSON.stringify(message)
    if (this.socket?.readyState === OPEN) this.socket.send(frame)
    // Subscriptions are re-sent from `listeners` on (re)connect; only requests wait in the outbox.
    else if (message.type === 'request') this.outbox.push(frame)
  }

  private connect(): void {
    const socket = this.openSocket(this.url)
    this.socket = socket
    socket.addEventListener('open', () => {
      this.failures = 0
      for (const stream of this.listeners.keys()) socket.send(JSON.stringify({ type: 'subscribe', stream }))
      for (const frame of this.outbox.splice(0)) socket.send(frame)
      this.setState('open')
    })
    socket.addEventListener('message', (event) => this.receive(String(event.data)))
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return
      this.socket = undefined
      this.failPending()
      if (this.disposed) return
      this.setState('reconnecting')
      const delay = RETRY_DELAYS_MS[Math.min(this.failures++, RETRY_DELAYS_MS.length - 1)]
      this.retryTimer = setTimeout(() => this.connect(), delay)
    })
  }

  private receive(frame: string): void {
    const message = parseServerMessage(frame)
    if (message.type === 'reply') {
      const waiter = this.pending.get(message.id)
      if (!waiter) return
      this.pending.delete(message.id)
      if (message.ok) waiter.resolve(message.result)
      else waiter.reject(fromApiErrorInfo(message.error))
      return
    }
    const set = this.listeners.get(message.stream as StreamName)
    if (!set) return
    for (const listener of set) {
      try {
        listener(message.payload as never)
      } catch (error) {
        // One broken view must not starve the others of events; rethrow it where uncaught errors go.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  private failPending(): void {
    const error = new ApiError('disconnected', 'The connection to IOC Studio was lost')
    for (const waiter of this.pending.values()) waiter.reject(error)
    this.pending.clear()
    this.outbox.length = 0
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return
    this.currentState = state
    for (const listener of this.stateListeners) listener(state)
  }
}
