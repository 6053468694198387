/**
 * Access rules in the spirit of an EPICS access security file: user groups (UAG), host groups (HAG) and rules
 * that grant NONE, READ or WRITE to PV name patterns. For one channel the rights are the maximum over the rules
 * whose pattern matches the PV and whose user and host conditions hold (WRITE implies READ).
 *
 * Two choices differ from asLib and are deliberate: a PV that no rule's pattern matches keeps READ|WRITE (rules
 * govern the PVs they name, so adding one rule does not lock every other PV), and a host group may list IP
 * addresses as well as host names (compared lowercase), which covers clients that send no useful HOST_NAME.
 */
import { AccessRights } from '../ca/server/provider'
import type { ClientIdentity } from '../ca/server/provider'

export type AccessLevel = 'NONE' | 'READ' | 'WRITE'

export interface AccessRule {
  /** Glob over the PV name: `*` any run of characters, `?` one character. */
  readonly pvPattern: string
  readonly access: AccessLevel
  /** User group names; the client's CLIENT_NAME must be in one of them. Absent = any user. */
  readonly users?: readonly string[]
  /** Host group names; the client's HOST_NAME (lowercase) or IP address must be in one. Absent = any host. */
  readonly hosts?: readonly string[]
}

export interface AccessRules {
  readonly userGroups?: Readonly<Record<string, readonly string[]>>
  readonly hostGroups?: Readonly<Record<string, readonly string[]>>
  readonly rules: readonly AccessRule[]
}

export class AccessRulesError extends Error {
  override readonly name = 'AccessRulesError'
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`)
  }
}

interface CompiledRule {
  readonly pattern: RegExp
  readonly rights: AccessRights
  readonly users: ReadonlySet<string> | undefined
  readonly hosts: ReadonlySet<string> | undefined
}

/** The rules that concern one PV, computed once per PV and policy. */
export type MatchedRules = readonly CompiledRule[]

const RIGHTS: Readonly<Record<AccessLevel, AccessRights>> = {
  NONE: AccessRights.NONE,
  READ: AccessRights.READ,
  WRITE: AccessRights.READ_WRITE,
}

export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (const char of glob) {
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, 's')
}

function groupMembers(
  field: string,
  groups: Readonly<Record<string, readonly string[]>> | undefined,
  lowercase: boolean,
): Map<string, readonly string[]> {
  const members = new Map<string, readonly string[]>()
  if (groups === undefined) return members
  if (typeof groups !== 'object' || groups === null || Array.isArray(groups)) {
    throw new AccessRulesError(field, 'must map group names to lists of names')
  }
  for (const [name, list] of Object.entries(groups)) {
    if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string' || entry === '')) {
      throw new AccessRulesError(`${field}.${name}`, 'must be a list of non-empty names')
    }
    members.set(name, lowercase ? list.map((entry) => entry.toLowerCase()) : list)
  }
  return members
}

function resolveGroups(
  field: string,
  names: readonly string[] | undefined,
  groups: Map<string, readonly string[]>,
  kind: string,
): ReadonlySet<string> | undefined {
  if (names === undefined) return undefined
  if (!Array.isArray(names)) throw new AccessRulesError(field, `must be a list of ${kind} group names`)
  const set = new Set<string>()
  for (const name of names) {
    const members = groups.get(name)
    if (!members) throw new AccessRulesError(field, `unknown ${kind} group ${JSON.stringify(name)}`)
    for (const member of members) set.add(member)
  }
  return set
}

/** A validated, compiled set of access rules. Immutable: replacing the rules means a new policy. */
export class AccessPolicy {
  static readonly OPEN = new AccessPolicy({ rules: [] })

  readonly rules: AccessRules
  private readonly compiled: readonly CompiledRule[]

  /** Validates and compiles; throws AccessRulesError naming the field ("rules[2].users: unknown user group"). */
  constructor(rules: AccessRules) {
    if (typeof rules !== 'object' || rules === null || !Array.isArray(rules.rules)) {
      throw new AccessRulesError('rules', 'must be a list of rules')
    }
    const users = groupMembers('userGroups', rules.userGroups, false)
    const hosts = groupMembers('hostGroups', rules.hostGroups, true)
    this.compiled = (rules.rules as readonly AccessRule[]).map((rule, i) => {
      const at = `rules[${i}]`
      if (typeof rule?.pvPattern !== 'string' || rule.pvPattern === '') {
        throw new AccessRulesError(`${at}.pvPattern`, 'must be a non-empty glob such as "TEMP:*"')
      }
      const rights = Object.hasOwn(RIGHTS, rule.access) ? RIGHTS[rule.access] : undefined
      if (rights === undefined) {
        throw new AccessRulesError(
          `${at}.access`,
          `${JSON.stringify(rule.access)} is not NONE, READ or WRITE`,
        )
      }
      return {
        pattern: globToRegExp(rule.pvPattern),
        rights,
        users: resolveGroups(`${at}.users`, rule.users, users, 'user'),
        hosts: resolveGroups(`${at}.hosts`, rule.hosts, hosts, 'host'),
      }
    })
    this.rules = rules
  }

  /** No rules at all: everyone may read and write everything. */
  get isOpen(): boolean {
    return this.compiled.length === 0
  }

  /** The rules whose pattern matches `pvName`. */
  match(pvName: string): MatchedRules {
    return this.compiled.filter((rule) => rule.pattern.test(pvName))
  }

  /** Rights of `client` on a PV whose matched rules are `matched`. */
  static evaluate(matched: MatchedRules, client: ClientIdentity): AccessRights {
    if (matched.length === 0) return AccessRights.READ_WRITE
    let rights: AccessRights = AccessRights.NONE
    let host: string | undefined
    for (const rule of matched) {
      if (rule.rights <= rights) continue
      if (rule.users && !rule.users.has(client.userName)) continue
      if (rule.hosts) {
        host ??= client.hostName.toLowerCase()
        if (!rule.hosts.has(host) && !rule.hosts.has(client.address)) continue
      }
      rights = rule.rights
      if (rights === AccessRights.READ_WRITE) break
    }
    return rights
  }
}
