/**
 * The document while someone edits it may break the format's rules (17 enum states, a 30-character STRING):
 * that is what the Problems panel lists, and work in progress must still reach the backend and be saved.
 * What it must keep is the structure the editor reads, checked here; the rules themselves are the model's
 * (checkProject) and they stop Start and Export, not editing.
 */
import { FORMAT_VERSION } from '../model/project'
import type { Project } from '../model/project'

export interface StructureIssue {
  readonly path: string
  readonly message: string
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Problems that stop the editor from showing the document; [] when it can be edited. */
export function structureIssues(value: unknown): StructureIssue[] {
  const issues: StructureIssue[] = []
  const fail = (path: string, message: string) => issues.push({ path, message })
  if (!isObject(value)) {
    fail('(document)', 'a project is a JSON object')
    return issues
  }
  if (value.formatVersion !== FORMAT_VERSION) fail('formatVersion', `must be ${FORMAT_VERSION}`)
  const server = value.server
  if (!isObject(server)) fail('server', 'must be an object')
  else {
    for (const key of ['name', 'className', 'prefix']) {
      if (typeof server[key] !== 'string') fail(`server.${key}`, 'must be text')
    }
  }
  checkGroup(value, '', fail)
  for (const key of ['code', 'access'] as const) {
    if (value[key] !== undefined && !isObject(value[key])) fail(key, 'must be an object')
  }
  if (value.verbatim !== undefined && !Array.isArray(value.verbatim)) fail('verbatim', 'must be a list')
  return issues
}

export function isEditableProject(value: unknown): value is Project {
  return structureIssues(value).length === 0
}

function checkGroup(
  group: Record<string, unknown>,
  path: string,
  fail: (path: string, message: string) => void,
): void {
  if (!Array.isArray(group.pvs)) fail(`${path}pvs`, 'must be a list')
  else group.pvs.forEach((pv, index) => checkPv(pv, `${path}pvs[${index}]`, fail))
  if (group.subGroups === undefined) return
  if (!Array.isArray(group.subGroups)) {
    fail(`${path}subGroups`, 'must be a list')
    return
  }
  group.subGroups.forEach((sub, index) => {
    const at = `${path}subGroups[${index}]`
    if (!isObject(sub)) fail(at, 'must be an object')
    else {
      if (typeof sub.attr !== 'string' || typeof sub.className !== 'string')
        fail(at, 'needs attr and className')
      checkGroup(sub, `${at}.`, fail)
    }
  })
}

function checkPv(pv: unknown, path: string, fail: (path: string, message: string) => void): void {
  if (!isObject(pv)) {
    fail(path, 'must be an object')
    return
  }
  if (typeof pv.name !== 'string') fail(`${path}.name`, 'must be text')
  if (typeof pv.type !== 'string') fail(`${path}.type`, 'must be text')
  if (
    pv.enumStrings !== undefined &&
    !(Array.isArray(pv.enumStrings) && pv.enumStrings.every((s) => typeof s === 'string'))
  ) {
    fail(`${path}.enumStrings`, 'must be a list of text')
  }
  for (const key of ['displayLimits', 'controlLimits', 'alarmLimits'] as const) {
    if (pv[key] !== undefined && !isObject(pv[key])) fail(`${path}.${key}`, 'must be an object')
  }
  const hooks = pv.hooks
  if (hooks === undefined) return
  if (!isObject(hooks)) {
    fail(`${path}.hooks`, 'must be an object')
    return
  }
  for (const kind of ['putter', 'getter', 'startup', 'shutdown'] as const) {
    if (hooks[kind] !== undefined && typeof hooks[kind] !== 'string')
      fail(`${path}.hooks.${kind}`, 'must be text')
  }
  if (hooks.scan !== undefined && !(isObject(hooks.scan) && typeof hooks.scan.body === 'string')) {
    fail(`${path}.hooks.scan`, 'must be an object with a body')
  }
}
