/**
 * The project document as saved: keys in the order the format lists them (fields the format does not know
 * follow, in their original order), two-space indentation, a trailing newline. The same project always gives
 * the same bytes, so saved files diff cleanly.
 */
import { projectShape } from '../model/project'
import type { Project } from '../model/project'
import { itemShapeOf, objectShapeOf } from '../model/shape'
import type { Shape } from '../model/shape'

function ordered(value: unknown, shape: Shape<unknown> | undefined): unknown {
  if (Array.isArray(value)) {
    const items = shape ? itemShapeOf(shape) : undefined
    return value.map((item) => ordered(item, items))
  }
  if (typeof value !== 'object' || value === null) return value
  const record = value as Record<string, unknown>
  const object = shape ? objectShapeOf(shape) : undefined
  const out: Record<string, unknown> = {}
  const known = object?.keys ?? []
  for (const key of known) {
    if (record[key] !== undefined) out[key] = ordered(record[key], object?.properties[key].shape)
  }
  for (const [key, item] of Object.entries(record)) {
    if (!known.includes(key) && item !== undefined) out[key] = ordered(item, undefined)
  }
  return out
}

export function exportProjectJson(project: Project): string {
  return `${JSON.stringify(ordered(project, projectShape), null, 2)}\n`
}
