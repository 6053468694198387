import { describe, expect, it } from 'vitest'
import { StaticPvProvider } from '../../../test/support/static-provider'
import { DbrType } from '../wire/dbr-types'
import { Eca } from '../wire/protocol'
import { NativeType } from '../wire/snapshot'
import type { PvSnapshot } from '../wire/snapshot'
import { ServerChannel, Subscription } from './channel'
import type { ChannelOwner } from './channel'
import { EventMask } from './provider'
import { SubscriptionFanout } from './subscription-fanout'

/** A circuit stand-in that records what the fan-out hands it and encodes the way a circuit does. */
class RecordingOwner implements ChannelOwner {
  /** The encoded bytes of each update, copied out at once as a circuit does. */
  readonly payloads: Buffer[] = []
  /** The buffers the cache handed out (to see which subscribers shared an encoding). */
  readonly shared: Buffer[] = []
  readonly events: string[] = []
  deliverUpdate(subscription: Subscription, snapshot: PvSnapshot): void {
    const encoded = subscription.fanout.cache.get(snapshot, subscription.dbrType, 1)
    this.shared.push(encoded.bytes)
    this.payloads.push(Buffer.from(encoded.bytes.subarray(0, encoded.size)))
  }
  onAccessChanged(channel: ServerChannel): void {
    this.events.push(`access ${channel.sid}`)
  }
  onPvRemoved(channel: ServerChannel): void {
    this.events.push(`removed ${channel.sid}`)
    channel.fanout.removeChannel(channel)
  }
}

function setup(): { provider: StaticPvProvider; fanout: SubscriptionFanout; disposed: SubscriptionFanout[] } {
  const provider = new StaticPvProvider([
    { name: 'pv', type: NativeType.DOUBLE, value: 1, metadata: { precision: 1 } },
  ])
  const disposed: SubscriptionFanout[] = []
  const fanout = new SubscriptionFanout(provider.get('pv'), (f) => disposed.push(f))
  return { provider, fanout, disposed }
}

function subscribe(
  fanout: SubscriptionFanout,
  owner: ChannelOwner,
  sid: number,
  dbrType: number,
  mask: number,
): Subscription {
  const channel = new ServerChannel(sid, sid, fanout.pv, fanout, owner, 3)
  fanout.addChannel(channel)
  const subscription = new Subscription(sid, channel, dbrType, 1, mask)
  fanout.addSubscription(subscription)
  return subscription
}

describe('SubscriptionFanout', () => {
  it('encodes each update once per (type, count) and shares the bytes between subscribers', () => {
    const { provider, fanout } = setup()
    const owners = [new RecordingOwner(), new RecordingOwner(), new RecordingOwner()]
    owners.forEach((owner, i) => subscribe(fanout, owner, i, DbrType.TIME_DOUBLE, EventMask.VALUE))
    const other = new RecordingOwner()
    subscribe(fanout, other, 9, DbrType.STRING, EventMask.VALUE)
    provider.set('pv', 2.5)
    expect(owners.map((o) => o.payloads.length)).toEqual([1, 1, 1])
    expect(owners[1].shared[0]).toBe(owners[0].shared[0])
    expect(owners[2].shared[0]).toBe(owners[0].shared[0])
    expect(owners[0].payloads[0].readDoubleBE(16)).toBe(2.5)
    expect(other.payloads[0].toString('latin1', 0, 3)).toBe('2.5')
    expect(fanout.cache.encodings).toBe(2)
    provider.set('pv', 3)
    expect(fanout.cache.encodings).toBe(4)
    expect(owners.map((o) => o.payloads[1].readDoubleBE(16))).toEqual([3, 3, 3])
    expect(other.payloads[1].toString('latin1', 0, 2)).toBe('3.')
    // The next update is encoded into the same buffer: nothing is allocated per post.
    expect(owners[0].shared[1]).toBe(owners[0].shared[0])
    expect(owners[0].payloads[0].readDoubleBE(16)).toBe(2.5)
  })

  it('delivers only to subscriptions whose mask matches the post', () => {
    const { provider, fanout } = setup()
    const alarm = new RecordingOwner()
    const value = new RecordingOwner()
    subscribe(fanout, alarm, 1, DbrType.DOUBLE, EventMask.ALARM)
    subscribe(fanout, value, 2, DbrType.DOUBLE, EventMask.VALUE | EventMask.LOG)
    provider.set('pv', 5, { mask: EventMask.LOG })
    provider.set('pv', 6, { mask: EventMask.ALARM })
    expect([alarm.payloads.length, value.payloads.length]).toEqual([1, 1])
  })

  it('stops listening when the last channel goes, and relays access changes and removal', () => {
    const { provider, fanout, disposed } = setup()
    const pv = provider.get('pv')
    const owner = new RecordingOwner()
    const a = subscribe(fanout, owner, 1, DbrType.DOUBLE, EventMask.VALUE)
    subscribe(fanout, owner, 2, DbrType.DOUBLE, EventMask.VALUE)
    pv.setAccess(1)
    expect(owner.events.sort()).toEqual(['access 1', 'access 2'])
    fanout.removeSubscription(a)
    fanout.removeChannel(a.channel)
    expect(fanout.channelCount).toBe(1)
    expect(fanout.subscriptionCount).toBe(1)
    expect(pv.hasPostListeners).toBe(true)
    provider.remove('pv')
    expect(owner.events).toContain('removed 2')
    expect(disposed).toEqual([fanout])
    expect(pv.hasPostListeners).toBe(false)
  })

  it('listens to the PV posts only while it has subscriptions', () => {
    const { provider, fanout } = setup()
    const pv = provider.get('pv')
    const owner = new RecordingOwner()
    const channel = new ServerChannel(1, 1, pv, fanout, owner, 3)
    fanout.addChannel(channel)
    expect(pv.hasPostListeners).toBe(false)
    const subscription = new Subscription(7, channel, DbrType.DOUBLE, 1, EventMask.VALUE)
    fanout.addSubscription(subscription)
    expect(pv.hasPostListeners).toBe(true)
    provider.set('pv', 4)
    fanout.removeSubscription(subscription)
    expect(pv.hasPostListeners).toBe(false)
    provider.set('pv', 5)
    expect(owner.payloads.map((bytes) => bytes.readDoubleBE(0))).toEqual([4])
    fanout.addSubscription(new Subscription(8, channel, DbrType.DOUBLE, 1, EventMask.VALUE))
    provider.set('pv', 6)
    expect(owner.payloads.map((bytes) => bytes.readDoubleBE(0))).toEqual([4, 6])
  })

  it('turns an impossible conversion into a zeroed payload with the ECA status', () => {
    const provider = new StaticPvProvider([{ name: 's', type: NativeType.STRING, value: 'not a number' }])
    const fanout = new SubscriptionFanout(provider.get('s'), () => undefined)
    const encoded = fanout.cache.get(provider.get('s').snapshot, DbrType.DOUBLE, 1)
    expect(encoded.status).toBe(Eca.GETFAIL)
    expect(encoded.bytes.equals(Buffer.alloc(8))).toBe(true)
  })
})
