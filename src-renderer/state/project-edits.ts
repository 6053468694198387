/**
 * Edits of the project document as pure functions: each returns a new document that shares every untouched
 * branch with the old one (so undo keeps whole snapshots cheaply), or the same document when nothing changes.
 *
 * A PV is addressed by the chain of sub-group indices that leads to its group plus its index there; the
 * IOC class's own PVs have an empty chain.
 */
import type { Project, PvDefinition, SubGroupDefinition } from '@shared/model/project'
import { inheritPvId } from './pv-ids'

export interface GroupAddress {
  /** Sub-group indices from the IOC class down; [] is the class itself. */
  readonly groups: readonly number[]
}

export interface PvAddress extends GroupAddress {
  readonly index: number
}

/** Parses a document path such as `subGroups[1].pvs[3]` (what pvLocations and checkProject report). */
export function addressOfPath(path: string): PvAddress | null {
  const match = /^((?:subGroups\[\d+\]\.)*)pvs\[(\d+)\]/.exec(path)
  if (!match) return null
  const groups = [...match[1].matchAll(/subGroups\[(\d+)\]/g)].map((m) => Number(m[1]))
  return { groups, index: Number(match[2]) }
}

export function pathOfAddress(address: PvAddress): string {
  return `${address.groups.map((g) => `subGroups[${g}].`).join('')}pvs[${address.index}]`
}

interface GroupLike {
  readonly pvs: readonly PvDefinition[]
  readonly subGroups?: readonly SubGroupDefinition[]
}

function groupAt(project: Project, groups: readonly number[]): GroupLike | undefined {
  let group: GroupLike | undefined = project
  for (const index of groups) group = group?.subGroups?.[index]
  return group
}

/** Replaces the group at `groups` with `recipe(group)`, rebuilding only the chain of parents above it. */
function updateGroup(
  project: Project,
  groups: readonly number[],
  recipe: (group: GroupLike) => GroupLike,
): Project {
  const update = <G extends GroupLike>(group: G, depth: number): G => {
    if (depth === groups.length) return recipe(group) as G
    const subGroups = group.subGroups ?? []
    const index = groups[depth]
    const child = subGroups[index]
    if (!child) return group
    const next = update(child, depth + 1)
    if (next === child) return group
    return { ...group, subGroups: subGroups.map((g, i) => (i === index ? next : g)) }
  }
  return update(project, 0)
}

export function pvAt(project: Project, address: PvAddress): PvDefinition | undefined {
  return groupAt(project, address.groups)?.pvs[address.index]
}

export function pvsOf(project: Project, address: GroupAddress): readonly PvDefinition[] {
  return groupAt(project, address.groups)?.pvs ?? []
}

/** Applies `recipe` to one PV; the new PV keeps the old one's identity for open tabs. */
export function updatePv(
  project: Project,
  address: PvAddress,
  recipe: (pv: PvDefinition) => PvDefinition,
): Project {
  return updateGroup(project, address.groups, (group) => {
    const pv = group.pvs[address.index]
    if (!pv) return group
    const next = recipe(pv)
    if (next === pv) return group
    inheritPvId(pv, next)
    return { ...group, pvs: group.pvs.map((p, i) => (i === address.index ? next : p)) }
  })
}

/** Sets (or, with undefined, removes) one field of a PV; empty objects left behind are dropped too. */
export function setPvField<K extends keyof PvDefinition>(
  project: Project,
  address: PvAddress,
  key: K,
  value: PvDefinition[K] | undefined,
): Project {
  return updatePv(project, address, (pv) => withField(pv, key, value))
}

/** `object` with `key` set to `value`, or without `key` when value is undefined; the same object if unchanged. */
export function withField<T extends object, K extends keyof T>(
  object: T,
  key: K,
  value: T[K] | undefined,
): T {
  if (object[key] === value) return object
  if (value === undefined) {
    if (!(key in object)) return object
    const copy = { ...object }
    delete copy[key]
    return copy
  }
  return { ...object, [key]: value }
}

/** Drops the keys of `object` whose value is undefined; undefined when nothing is left. */
export function compact<T extends object>(object: T): T | undefined {
  const entries = Object.entries(object).filter(([, v]) => v !== undefined)
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T)
}

export function insertPvs(
  project: Project,
  address: GroupAddress,
  index: number,
  pvs: readonly PvDefinition[],
): Project {
  if (pvs.length === 0) return project
  return updateGroup(project, address.groups, (group) => {
    const at = Math.max(0, Math.min(index, group.pvs.length))
    return { ...group, pvs: [...group.pvs.slice(0, at), ...pvs, ...group.pvs.slice(at)] }
  })
}

/** Removes the PVs at `indices` of one group. */
export function removePvs(project: Project, address: GroupAddress, indices: readonly number[]): Project {
  const drop = new Set(indices)
  return updateGroup(project, address.groups, (group) => {
    if (!group.pvs.some((_, i) => drop.has(i))) return group
    return { ...group, pvs: group.pvs.filter((_, i) => !drop.has(i)) }
  })
}

/**
 * Moves the PVs at `indices` (one group) by `delta` places as a block, keeping their order; a block already
 * at the edge stays. Returns the document and the moved PVs' new indices.
 */
export function movePvs(
  project: Project,
  address: GroupAddress,
  indices: readonly number[],
  delta: number,
): { project: Project; indices: number[] } {
  const pvs = pvsOf(project, address)
  const picked = [...new Set(indices)].filter((i) => i >= 0 && i < pvs.length).sort((a, b) => a - b)
  if (picked.length === 0 || delta === 0) return { project, indices: picked }
  const first = picked[0]
  const last = picked[picked.length - 1]
  const shift = delta < 0 ? Math.max(delta, -first) : Math.min(delta, pvs.length - 1 - last)
  if (shift === 0) return { project, indices: picked }
  const moving = picked.map((i) => pvs[i])
  const rest = pvs.filter((_, i) => !picked.includes(i))
  const insertAt = first + shift
  const reordered = [...rest.slice(0, insertAt), ...moving, ...rest.slice(insertAt)]
  const next = updateGroup(project, address.groups, (group) => ({ ...group, pvs: reordered }))
  return { project: next, indices: moving.map((_, i) => insertAt + i) }
}

/** A name based on `base` that no PV of `taken` has: base, base_2, base_3… (or pv1, pv2… without a base). */
export function uniquePvName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken)
  const stem = base.replace(/_\d+$/, '')
  if (base !== '' && !names.has(base)) return base
  for (let n = base === '' ? 1 : 2; ; n++) {
    const candidate = base === '' ? `pv${n}` : `${stem}_${n}`
    if (!names.has(candidate)) return candidate
  }
}

/** Copies of the PVs at `indices`, inserted after the last of them, with fresh names. */
export function duplicatePvs(
  project: Project,
  address: GroupAddress,
  indices: readonly number[],
): { project: Project; indices: number[] } {
  const pvs = pvsOf(project, address)
  const picked = [...new Set(indices)].filter((i) => i >= 0 && i < pvs.length).sort((a, b) => a - b)
  if (picked.length === 0) return { project, indices: [] }
  const taken = pvs.map((pv) => pv.name)
  const copies = picked.map((i) => {
    const pv = pvs[i]
    const name = uniquePvName(pv.name, taken)
    taken.push(name)
    const copy: PvDefinition = withField({ ...pv, name }, 'attr', undefined)
    return copy
  })
  const at = picked[picked.length - 1] + 1
  return { project: insertPvs(project, address, at, copies), indices: copies.map((_, i) => at + i) }
}

export function updateServer(
  project: Project,
  recipe: (server: Project['server']) => Project['server'],
): Project {
  const server = recipe(project.server)
  return server === project.server ? project : { ...project, server }
}

type CodePart = keyof NonNullable<Project['code']>

/** Sets group-level code (imports, helpers, __ainit__ body); empty code removes the part. */
export function setGroupCode(project: Project, part: CodePart, code: string): Project {
  const current = project.code ?? {}
  const next = withField(current, part, code.trim() === '' ? undefined : code)
  if (next === current) return project
  return withField(project, 'code', compact(next))
}

type HookKindName = 'putter' | 'getter' | 'startup' | 'shutdown' | 'scan'

/** The body of a PV hook, or undefined when the PV has no such hook. */
export function hookBody(pv: PvDefinition, kind: HookKindName): string | undefined {
  return kind === 'scan' ? pv.hooks?.scan?.body : pv.hooks?.[kind]
}

/** Sets a hook's body (a new scan hook runs every second), or removes the hook with undefined. */
export function withHookBody(pv: PvDefinition, kind: HookKindName, body: string | undefined): PvDefinition {
  const hooks = pv.hooks ?? {}
  let next: typeof hooks
  if (kind === 'scan') {
    const scan = hooks.scan
    next = withField(
      hooks,
      'scan',
      body === undefined ? undefined : scan ? withField(scan, 'body', body) : { body, period: 1 },
    )
  } else next = withField(hooks, kind, body)
  return next === hooks ? pv : withField(pv, 'hooks', compact(next))
}
