import type { StreamName } from '@shared/api/contract'
import { BridgeProtocolError, CLOSE_PROTOCOL_ERROR, parseClientMessage } from '@shared/api/bridge-protocol'
import type { ServerMessage } from '@shared/api/bridge-protocol'
import { toApiErrorInfo } from '@shared/api/errors'
import { parseStreamName } from '@shared/api/validate'
import type { Disposable } from '@shared/base/event'
import { dispatchRequest } from '../../backend'
import type { BackendApi } from '../../backend'
import type { StreamFanout } from './stream-fanout'

/** The socket side a session needs; a `ws` WebSocket in production, anything in tests. */
export interface SessionTransport {
  send(frame: string): void
  close(code: number, reason: string): void
}

/**
 * One browser connection, without the socket: frames in via `receive`, frames out via the transport. Every
 * request is answered exactly once (a reply or an error naming what was wrong); a frame that breaks the
 * envelope closes this connection only, with the reason, and everything it subscribed to is released.
 */
export class BridgeSession implements Disposable {
  private readonly subscriptions = new Map<StreamName, Disposable>()
  private closed = false

  constructor(
    private readonly backend: BackendApi,
    private readonly fanout: StreamFanout,
    private readonly transport: SessionTransport,
  ) {}

  receive(frame: string): void {
    if (this.closed) return
    try {
      const message = parseClientMessage(frame)
      switch (message.type) {
        case 'request':
          this.answer(message.id, message.name, message.args)
          break
        case 'subscribe': {
          const stream = parseStreamName(message.stream)
          if (!this.subscriptions.has(stream)) {
            this.subscriptions.set(
              stream,
              this.fanout.add(stream, (event) => this.send(event)),
            )
          }
          break
        }
        case 'unsubscribe': {
          const stream = parseStreamName(message.stream)
          this.subscriptions.get(stream)?.dispose()
          this.subscriptions.delete(stream)
          break
        }
      }
    } catch (error) {
      // Envelope errors and unknown streams are bugs or hostile clients: there is no request id to answer.
      const reason = error instanceof BridgeProtocolError ? error.message : toApiErrorInfo(error).message
      // A close reason is at most 123 bytes of UTF-8: keep it short and ASCII.
      this.transport.close(CLOSE_PROTOCOL_ERROR, reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 120))
      this.dispose()
    }
  }

  dispose(): void {
    this.closed = true
    for (const subscription of this.subscriptions.values()) subscription.dispose()
    this.subscriptions.clear()
  }

  private answer(id: number, name: string, args: unknown): void {
    dispatchRequest(this.backend, name, args).then(
      (result) => this.send(JSON.stringify({ type: 'reply', id, ok: true, result } satisfies ServerMessage)),
      (error: unknown) =>
        this.send(
          JSON.stringify({
            type: 'reply',
            id,
            ok: false,
            error: toApiErrorInfo(error),
          } satisfies ServerMessage),
        ),
    )
  }

  private send(frame: string): void {
    if (!this.closed) this.transport.send(frame)
  }
}
