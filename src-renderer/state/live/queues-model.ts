/**
 * The put/get queues: per-PV pending and finished operations, and each ThreadsafeQueue of the IOC's hooks
 * with its latest entries and its depth over time.
 */
import type { LivePvActivity, LiveQueue } from '@shared/api/live'
import { SampleRing } from './sample-ring'

/** Depth samples kept per queue. */
export const QUEUE_DEPTH_SAMPLES = 4000

export class QueuesModel {
  readonly activity = new Map<string, LivePvActivity>()
  readonly queues = new Map<string, LiveQueue>()
  private readonly depths = new Map<string, SampleRing>()

  reset(activity: readonly LivePvActivity[], queues: readonly LiveQueue[], now: number): void {
    this.activity.clear()
    this.queues.clear()
    this.depths.clear()
    this.applyActivity(activity)
    for (const queue of queues) {
      this.queues.set(queue.name, queue)
      this.depthsOf(queue.name).push(now / 1000, queue.depth)
    }
  }

  applyActivity(activity: readonly LivePvActivity[]): void {
    for (const counters of activity) this.activity.set(counters.pv, counters)
  }

  applyQueues(queues: readonly LiveQueue[]): void {
    for (const queue of queues) {
      this.queues.set(queue.name, queue)
      const depths = this.depthsOf(queue.name)
      for (const [time, depth] of queue.samples) depths.push(time / 1000, depth)
    }
  }

  /** Drops counters of PVs that no longer exist. */
  forget(pvs: readonly string[]): void {
    for (const pv of pvs) this.activity.delete(pv)
  }

  depthHistory(name: string): SampleRing | undefined {
    return this.depths.get(name)
  }

  private depthsOf(name: string): SampleRing {
    let ring = this.depths.get(name)
    if (!ring) {
      ring = new SampleRing(QUEUE_DEPTH_SAMPLES)
      this.depths.set(name, ring)
    }
    return ring
  }
}
