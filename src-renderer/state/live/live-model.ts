/**
 * Everything the live views show, in one mutable model fed by snapshots and batches. Applying returns which
 * parts changed, so one store commit per frame can bump exactly those parts' versions.
 */
import type { LiveBatch, LiveClient, LiveSnapshot } from '@shared/api/live'
import { PutLogModel } from './put-log'
import { QueuesModel } from './queues-model'
import { TrafficLog, TrafficView } from './traffic-log'
import { ValuesModel } from './values-model'

export const Part = {
  TRAFFIC: 1,
  VALUES: 2,
  PVS: 4,
  ACTIVITY: 8,
  QUEUES: 16,
  CLIENTS: 32,
  PUT_LOG: 64,
  SESSION: 128,
  ALL: 255,
} as const

export class LiveModel {
  readonly traffic = new TrafficLog()
  readonly trafficView = new TrafficView(this.traffic)
  readonly values = new ValuesModel()
  readonly queues = new QueuesModel()
  readonly putLog = new PutLogModel()
  clients: readonly LiveClient[] = []
  session = 0
  attached = false

  applySnapshot(snapshot: LiveSnapshot, now: number): number {
    this.session = snapshot.session
    this.attached = snapshot.attached
    this.traffic.reset(snapshot)
    this.trafficView.reset()
    this.values.reset(snapshot.pvs, snapshot.values, now)
    this.queues.reset(snapshot.activity, snapshot.queues, now)
    this.putLog.reset()
    this.clients = snapshot.clients
    return Part.ALL
  }

  applyBatch(batch: LiveBatch): number {
    let changed = 0
    if (batch.pvs) {
      if (this.values.applyPvs(batch.pvs.upsert, batch.pvs.removed)) changed |= Part.PVS
      this.queues.forget(batch.pvs.removed)
      changed |= Part.VALUES
    }
    if (batch.values.length > 0) {
      this.values.applyValues(batch.values)
      changed |= Part.VALUES
    }
    if (batch.traffic.recorded > 0 || batch.traffic.events.length > 0) {
      const added = this.traffic.add(batch.traffic, batch.time)
      this.trafficView.append(added)
      if (this.putLog.appendFrom(added, (key) => this.traffic.clients.get(key))) changed |= Part.PUT_LOG
      changed |= Part.TRAFFIC
    }
    if (batch.activity.length > 0) {
      this.queues.applyActivity(batch.activity)
      changed |= Part.ACTIVITY
    }
    if (batch.queues.length > 0) {
      this.queues.applyQueues(batch.queues)
      changed |= Part.QUEUES
    }
    if (batch.clients) {
      this.clients = batch.clients
      changed |= Part.CLIENTS
    }
    return changed
  }

  /** Once a second: updates per second are recomputed, and the rate charts move on. */
  tick(now: number): number {
    return (this.values.rollRates(now) ? Part.VALUES : 0) | Part.TRAFFIC
  }
}
