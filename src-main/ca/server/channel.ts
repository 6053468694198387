/**
 * The per-circuit state of one open channel and of one subscription. Plain data with the few flags the
 * circuit's flow control needs; the circuit (ChannelOwner) does the talking.
 */
import type { PvSnapshot } from '../wire/snapshot'
import type { ServedPv } from './provider'
import type { SubscriptionFanout } from './subscription-fanout'

/** What a channel's circuit must do when its PV posts, changes access rules or goes away. */
export interface ChannelOwner {
  deliverUpdate(subscription: Subscription, snapshot: PvSnapshot): void
  onAccessChanged(channel: ServerChannel): void
  onPvRemoved(channel: ServerChannel): void
}

export class ServerChannel {
  /** False once cleared or disconnected: late completions (slow writes) must then send nothing. */
  alive = true
  /** This channel's subscriptions; undefined until the first one (most channels never subscribe). */
  subscriptions: Subscription[] | undefined = undefined
  /** Position in the fan-out's channel list (swap-remove). */
  fanoutIndex = -1

  constructor(
    readonly sid: number,
    readonly cid: number,
    readonly pv: ServedPv,
    readonly fanout: SubscriptionFanout,
    readonly owner: ChannelOwner,
    public rights: number,
  ) {}
}

export class Subscription {
  /**
   * The channel's owner and fan-out, copied here: a post walks thousands of subscriptions, and each pointer
   * not followed is a cache miss saved.
   */
  readonly owner: ChannelOwner
  readonly fanout: SubscriptionFanout
  /** Position in the fan-out's subscription list (swap-remove). */
  fanoutIndex = -1
  /** The latest update not yet sent (EVENTS_OFF or a congested socket): older ones were replaced. */
  pending: PvSnapshot | undefined = undefined
  /** A single ECA_NORDACCESS update is owed (read access was lost). */
  denyPending = false
  /** In the circuit's list of subscriptions with something to send. */
  queued = false
  /** No read access: nothing is sent until it comes back. */
  readDenied = false
  cancelled = false

  constructor(
    readonly id: number,
    readonly channel: ServerChannel,
    readonly dbrType: number,
    /** Requested element count; 0 = the current length of each update. */
    readonly count: number,
    readonly mask: number,
  ) {
    this.owner = channel.owner
    this.fanout = channel.fanout
  }
}
