import type { StreamName } from '@shared/api/contract'
import type { ServerMessage } from '@shared/api/bridge-protocol'
import { toDisposable } from '@shared/base/event'
import type { Disposable } from '@shared/base/event'
import { subscribeStream } from '../../backend'
import type { BackendApi } from '../../backend'

type Sink = (frame: string) => void

/**
 * Shares backend streams among bridge sockets: one backend subscription per stream while anyone listens,
 * and each event encoded to a frame once, whatever the number of sockets.
 */
export class StreamFanout implements Disposable {
  private readonly streams = new Map<
    StreamName,
    { readonly sinks: Set<Sink>; readonly subscription: Disposable }
  >()

  constructor(private readonly backend: BackendApi) {}

  add(stream: StreamName, sink: Sink): Disposable {
    let entry = this.streams.get(stream)
    if (!entry) {
      const sinks = new Set<Sink>()
      const subscription = subscribeStream(this.backend, stream, (payload) => {
        const frame = JSON.stringify({ type: 'event', stream, payload } satisfies ServerMessage)
        for (const send of sinks) send(frame)
      })
      entry = { sinks, subscription }
      this.streams.set(stream, entry)
    }
    const { sinks } = entry
    sinks.add(sink)
    return toDisposable(() => {
      sinks.delete(sink)
      const current = this.streams.get(stream)
      if (current && current.sinks.size === 0) {
        current.subscription.dispose()
        this.streams.delete(stream)
      }
    })
  }

  /** How many backend subscriptions are open (one per stream with listeners). */
  get openStreams(): number {
    return this.streams.size
  }

  dispose(): void {
    for (const { subscription } of this.streams.values()) subscription.dispose()
    this.streams.clear()
  }
}
