/**
 * One per served PV that has open channels: listens to the PV's posts once and hands each update to the
 * subscriptions whose mask matches; holds the PV's encoded-payload cache, so an update is encoded once per
 * (DBR type, count) however many circuits receive it. Also relays access changes and removal to the channels.
 */
import { DisposableStore } from '@shared/base/event'
import type { PvPost, ServedPv } from './provider'
import type { ServerChannel, Subscription } from './channel'
import { EncodedSnapshotCache } from './encoded-snapshot-cache'

export class SubscriptionFanout {
  readonly cache = new EncodedSnapshotCache()
  private readonly subscriptions: Subscription[] = []
  private readonly channels: ServerChannel[] = []
  private readonly listeners = new DisposableStore()
  private disposed = false

  constructor(
    readonly pv: ServedPv,
    /** Called once when the last channel is gone or the PV was removed. */
    private readonly onDidDispose: (fanout: SubscriptionFanout) => void,
  ) {
    this.listeners.add(pv.onDidPost((post) => this.post(post)))
    this.listeners.add(pv.onDidChangeAccess(() => this.accessChanged()))
    this.listeners.add(pv.onDidRemove(() => this.removed()))
  }

  get channelCount(): number {
    return this.channels.length
  }

  get subscriptionCount(): number {
    return this.subscriptions.length
  }

  addChannel(channel: ServerChannel): void {
    channel.fanoutIndex = this.channels.length
    this.channels.push(channel)
  }

  removeChannel(channel: ServerChannel): void {
    if (removeAt(this.channels, channel.fanoutIndex, channel)) channel.fanoutIndex = -1
    if (this.channels.length === 0) this.dispose()
  }

  addSubscription(subscription: Subscription): void {
    subscription.fanoutIndex = this.subscriptions.length
    this.subscriptions.push(subscription)
  }

  removeSubscription(subscription: Subscription): void {
    if (removeAt(this.subscriptions, subscription.fanoutIndex, subscription)) subscription.fanoutIndex = -1
  }

  private post(post: PvPost): void {
    const subscriptions = this.subscriptions
    const mask = post.mask
    const snapshot = post.snapshot
    for (let i = 0; i < subscriptions.length; i++) {
      const subscription = subscriptions[i]
      if ((subscription.mask & mask) !== 0) subscription.channel.owner.deliverUpdate(subscription, snapshot)
    }
  }

  private accessChanged(): void {
    for (const channel of [...this.channels]) channel.owner.onAccessChanged(channel)
  }

  private removed(): void {
    for (const channel of [...this.channels]) channel.owner.onPvRemoved(channel)
    this.dispose()
  }

  private dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.listeners.dispose()
    this.onDidDispose(this)
  }
}

/** Swap-remove `item` (expected at `index`) from `list`, fixing the moved item's index. */
function removeAt<T extends { fanoutIndex: number }>(list: T[], index: number, item: T): boolean {
  if (index < 0 || list[index] !== item) return false
  const last = list.pop()!
  if (last !== item) {
    list[index] = last
    last.fanoutIndex = index
  }
  return true
}
