/**
 * The soft IOC's PV database: defines, redefines and removes PVs while the server runs, resolves channel names
 * for the CA engine (PV names, `NAME.FIELD` record fields, `NAME$` long-string views) and holds the access rules.
 */
import { Emitter } from '@shared/base/event'
import type { Event } from '@shared/base/event'
import { AccessRights } from '../ca/server/provider'
import type { ClientIdentity, PvProvider, ServedPv } from '../ca/server/provider'
import { NativeType } from '../ca/wire/snapshot'
import { AccessPolicy } from './access'
import type { AccessRules, MatchedRules } from './access'
import { AlarmGroup } from './alarm-group'
import { FieldChannel } from './field-channel'
import { LongStringView } from './long-string-view'
import { IocPv } from './pv'
import type { PvActivity, PvHost } from './pv'
import { fieldDefinition } from './record-fields'
import { changesChannel, specsEqual, validateSpec } from './spec'
import type { PvSpec } from './spec'

export interface PvsChange {
  readonly added: string[]
  readonly removed: string[]
  /** Redefined in place (metadata) or replaced because the type or size changed. */
  readonly changed: string[]
}

interface RuleCache {
  readonly policy: AccessPolicy
  readonly rules: MatchedRules
}

export class PvDatabase implements PvProvider {
  private readonly pvs = new Map<string, IocPv>()
  private readonly groups = new Map<string, AlarmGroup>()
  private readonly ruleCache = new WeakMap<IocPv, RuleCache>()
  private policy = AccessPolicy.OPEN
  private pending: PvsChange | undefined
  private readonly pvsChanged = new Emitter<PvsChange>()
  private readonly activity = new Emitter<PvActivity>()
  private readonly host: PvHost

  readonly onDidChangePvs: Event<PvsChange> = this.pvsChanged.event
  /** Start and end of every put and of every get that runs a getter hook (for the traffic recorder). */
  readonly onDidActivity: Event<PvActivity> = this.activity.event

  constructor() {
    this.host = {
      activity: this.activity,
      ruleAccessFor: (pv, client) => this.ruleAccessFor(pv, client),
      alarmGroup: (name) => this.alarmGroup(name),
      releaseAlarmGroup: (group) => {
        if (group.name !== undefined && group.size === 0) this.groups.delete(group.name)
      },
      specChanged: (pv) => this.note('changed', pv.name),
    }
  }

  get size(): number {
    return this.pvs.size
  }

  /**
   * Adds a PV, or redefines one with the same name: an unchanged spec keeps the PV, its hooks and its clients;
   * a changed type, maxLength or longString removes the old PV (its channels get SERVER_DISCONN and reconnect)
   * and makes a new one without hooks; any other change is applied in place (metadata posts DBE_PROPERTY).
   * The initial `value` is used only when the PV is created. Throws SpecError naming the bad field.
   */
  define(input: PvSpec): IocPv {
    const spec = validateSpec(input)
    const existing = this.pvs.get(spec.name)
    if (!existing) {
      const pv = new IocPv(spec, this.host)
      this.pvs.set(spec.name, pv)
      this.note('added', spec.name)
      return pv
    }
    if (specsEqual(existing.spec, spec)) return existing
    if (!changesChannel(existing.spec, spec)) {
      existing.applySpec(spec)
      return existing
    }
    this.pvs.delete(spec.name)
    existing.dispose()
    const pv = new IocPv(spec, this.host)
    this.pvs.set(spec.name, pv)
    this.note('changed', spec.name)
    return pv
  }

  /** Removes a PV: its channels (and its fields' channels) get SERVER_DISCONN. */
  remove(name: string): boolean {
    const pv = this.pvs.get(name)
    if (!pv) return false
    this.pvs.delete(name)
    pv.dispose()
    this.note('removed', name)
    return true
  }

  get(name: string): IocPv | undefined {
    return this.pvs.get(name)
  }

  list(): IocPv[] {
    return [...this.pvs.values()]
  }

  /** Runs `work` and fires one onDidChangePvs for everything it added, removed or changed. */
  batch<T>(work: () => T): T {
    if (this.pending) return work()
    this.pending = { added: [], removed: [], changed: [] }
    try {
      return work()
    } finally {
      const change = this.pending
      this.pending = undefined
      if (change.added.length + change.removed.length + change.changed.length > 0)
        this.pvsChanged.fire(change)
    }
  }

  get accessRules(): AccessRules {
    return this.policy.rules
  }

  /**
   * Replaces the access rules (validated first: an invalid set throws AccessRulesError and changes nothing).
   * Every channel re-evaluates its rights and connected clients get ACCESS_RIGHTS where they changed.
   */
  setAccessRules(rules: AccessRules): void {
    this.policy = new AccessPolicy(rules)
    for (const pv of this.pvs.values()) pv.accessRulesChanged()
  }

  resolve(name: string): ServedPv | undefined {
    return this.pvs.get(name) ?? this.resolveDerived(name)
  }

  /** Removes every PV (their channels disconnect). */
  clear(): void {
    this.batch(() => {
      for (const name of [...this.pvs.keys()]) this.remove(name)
    })
  }

  private resolveDerived(name: string): ServedPv | undefined {
    if (!name.endsWith('$')) return this.resolveField(name)
    const base = name.slice(0, -1)
    const source = this.pvs.get(base) ?? this.resolveValAlias(base) ?? this.resolveField(base)
    if (!source) return undefined
    if (source instanceof IocPv && source.spec.longString) return source
    if (source.nativeType !== NativeType.STRING) return undefined
    const owner = source instanceof IocPv ? source : this.pvs.get(base.slice(0, base.lastIndexOf('.')))
    return owner?.derivedChannel(`$${name.slice(owner.name.length)}`, () => new LongStringView(name, source))
  }

  /** `NAME.VAL` of any PV, so `NAME.VAL$` works for string PVs without a record type. */
  private resolveValAlias(name: string): IocPv | undefined {
    return name.endsWith('.VAL') ? this.pvs.get(name.slice(0, -4)) : undefined
  }

  private resolveField(name: string): ServedPv | undefined {
    const dot = name.lastIndexOf('.')
    if (dot <= 0) return undefined
    const pv = this.pvs.get(name.slice(0, dot))
    if (!pv || pv.spec.recordType === undefined) return undefined
    const field = name.slice(dot + 1)
    if (field === 'VAL') return pv
    const definition = fieldDefinition(pv.spec, field)
    if (!definition) return undefined
    return pv.derivedChannel(field, () => new FieldChannel(pv, definition))
  }

  private ruleAccessFor(pv: IocPv, client: ClientIdentity): AccessRights {
    if (this.policy.isOpen) return AccessRights.READ_WRITE
    let cache = this.ruleCache.get(pv)
    if (cache?.policy !== this.policy) {
      cache = { policy: this.policy, rules: this.policy.match(pv.name) }
      this.ruleCache.set(pv, cache)
    }
    return AccessPolicy.evaluate(cache.rules, client)
  }

  private alarmGroup(name: string | undefined): AlarmGroup {
    if (name === undefined) return new AlarmGroup(undefined)
    let group = this.groups.get(name)
    if (!group) {
      group = new AlarmGroup(name)
      this.groups.set(name, group)
    }
    return group
  }

  private note(kind: keyof PvsChange, name: string): void {
    if (this.pending) this.pending[kind].push(name)
    else this.pvsChanged.fire({ added: [], removed: [], changed: [], [kind]: [name] })
  }
}
