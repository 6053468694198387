/**
 * Keeps a LiveModel in step with the backend: subscribe to the batches first, then load the snapshot, then
 * apply the batches that came after it (by `seq`). A batch from another session (the IOC was started anew,
 * or another one attached) loads the snapshot again; so does a reconnected bridge (the backend may have
 * restarted, numbering batches from 1 again).
 */
import type { IocApi } from '@shared/api/contract'
import type { LiveBatch } from '@shared/api/live'
import type { LiveModel } from './live-model'
import type { LiveState } from './live-store'

export type LiveApi = Pick<IocApi, 'getLiveSnapshot' | 'onDidReceiveLiveBatch'>

export interface LiveSyncSink {
  /** Parts of the model changed (coalesced into one commit per frame). */
  changed(parts: number): void
  /** The connection or session changed (rare: applied at once). */
  state(state: Partial<LiveState>): void
}

/** Batches kept while a snapshot loads; more means the snapshot is slow, and the next load catches up. */
const MAX_BUFFERED = 400

export class LiveSync {
  private synced: { session: number; batchSeq: number } | undefined
  private buffered: LiveBatch[] = []
  private loading = false
  private loadAgain = false
  private generation = 0

  constructor(
    private readonly api: LiveApi,
    private readonly model: LiveModel,
    private readonly sink: LiveSyncSink,
    private readonly now: () => number = Date.now,
  ) {}

  /** Subscribes and loads; returns the function that stops. */
  start(): () => void {
    const unsubscribe = this.api.onDidReceiveLiveBatch((batch) => this.receive(batch))
    void this.load()
    return () => {
      this.generation++
      unsubscribe()
    }
  }

  receive(batch: LiveBatch): void {
    const synced = this.synced
    if (!synced || this.loading) {
      if (this.buffered.length < MAX_BUFFERED) this.buffered.push(batch)
      return
    }
    if (batch.session !== synced.session) {
      this.buffered.push(batch)
      void this.load()
      return
    }
    if (batch.seq <= synced.batchSeq) return
    synced.batchSeq = batch.seq
    this.sink.changed(this.model.applyBatch(batch))
  }

  /** Loads the snapshot (again); overlapping calls end in one more load after the current one. */
  async load(): Promise<void> {
    if (this.loading) {
      this.loadAgain = true
      return
    }
    this.loading = true
    const generation = this.generation
    if (!this.synced) this.sink.state({ connection: 'loading' })
    try {
      const snapshot = await this.api.getLiveSnapshot()
      if (generation !== this.generation) return
      let parts = this.model.applySnapshot(snapshot, this.now())
      const synced = { session: snapshot.session, batchSeq: snapshot.batchSeq }
      this.synced = synced
      const buffered = this.buffered
      this.buffered = []
      this.loading = false
      for (const batch of buffered) {
        if (batch.seq <= synced.batchSeq) continue
        if (batch.session !== synced.session) {
          this.loadAgain = true
          continue
        }
        synced.batchSeq = batch.seq
        parts |= this.model.applyBatch(batch)
      }
      this.sink.state({
        connection: 'live',
        error: null,
        session: snapshot.session,
        attached: snapshot.attached,
      })
      this.sink.changed(parts)
    } catch (error) {
      this.loading = false
      if (generation !== this.generation) return
      // A dropped bridge rejects; its reconnect loads again. Anything else is shown.
      this.sink.state({ connection: 'error', error: error instanceof Error ? error.message : String(error) })
    } finally {
      if (this.loadAgain && generation === this.generation) {
        this.loadAgain = false
        void this.load()
      }
    }
  }
}
