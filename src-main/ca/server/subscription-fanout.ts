/**
 * One per served PV that has open channels: relays the PV's access changes and removal to its channels, and
 * hands each posted update to the subscriptions whose mask matches; holds the PV's encoded-payload cache, so an
 * update is encoded once per (DBR type, count) however many circuits receive it.
 *
 * Channels are cheap when nobody monitors: the PV's posts are listened to only while it has subscriptions, and
 * the cache exists only once something was read.
 */
import type { Disposable } from '@shared/base/event'
import type { PvPost, ServedPv } from './provider'
import type { ServerChannel, Subscription } from './channel'
import { EncodedSnapshotCache } from './encoded-snapshot-cache'

/** Shared by every fan-out without subscriptions; never written to. */
const NO_SUBSCRIPTIONS: Subscription[] = []

export class SubscriptionFanout {
  private encoded: EncodedSnapshotCache | undefined = undefined
  private channels: ServerChannel[] = []
  /** NO_SUBSCRIPTIONS until the first (most PVs are never monitored: no array for them). */
  private subscriptions: Subscription[] = NO_SUBSCRIPTIONS
  private readonly accessListener: Disposable
  private readonly removeListener: Disposable
  private postListener: Disposable | undefined = undefined
  private disposed = false

  constructor(
    readonly pv: ServedPv,
    /** Called once when the last channel is gone or the PV was removed. */
    private readonly onDidDispose: (fanout: SubscriptionFanout) => void,
  ) {
    this.accessListener = pv.onDidChangeAccess(() => this.accessChanged())
    this.removeListener = pv.onDidRemove(() => this.removed())
  }

  /** The PV's encoded payloads (created at the first read or update). */
  get cache(): EncodedSnapshotCache {
    return (this.encoded ??= new EncodedSnapshotCache())
  }

  get channelCount(): number {
    return this.channels.length
  }

  get subscriptionCount(): number {
    return this.subscriptions.length
  }

  addChannel(channel: ServerChannel): void {
    channel.fanoutIndex = this.channels.length
    // Most PVs have one channel: an exact-size array for it, where push would reserve 17 slots.
    if (this.channels.length === 0) this.channels = [channel]
    else this.channels.push(channel)
  }

  removeChannel(channel: ServerChannel): void {
    if (removeAt(this.channels, channel.fanoutIndex, channel)) channel.fanoutIndex = -1
    if (this.channels.length === 0) this.dispose()
  }

  addSubscription(subscription: Subscription): void {
    if (this.disposed) return
    subscription.fanoutIndex = this.subscriptions.length
    if (this.subscriptions === NO_SUBSCRIPTIONS) this.subscriptions = [subscription]
    else this.subscriptions.push(subscription)
    this.postListener ??= this.pv.onDidPost((post) => this.post(post))
  }

  removeSubscription(subscription: Subscription): void {
    if (removeAt(this.subscriptions, subscription.fanoutIndex, subscription)) subscription.fanoutIndex = -1
    if (this.subscriptions.length === 0 && this.postListener !== undefined) {
      this.postListener.dispose()
      this.postListener = undefined
    }
  }

  private post(post: PvPost): void {
    const subscriptions = this.subscriptions
    const mask = post.mask
    const snapshot = post.snapshot
    for (let i = 0; i < subscriptions.length; i++) {
      const subscription = subscriptions[i]
      if ((subscription.mask & mask) !== 0) subscription.owner.deliverUpdate(subscription, snapshot)
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
    this.postListener?.dispose()
    this.postListener = undefined
    this.removeListener.dispose()
    this.accessListener.dispose()
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
