/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and lists the functions with the most self time, so the
 * bench can name the server's hot spots without opening DevTools.
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

interface ProfileNode {
  readonly id: number
  readonly callFrame: { functionName: string; url: string; lineNumber: number }
  readonly children?: readonly number[]
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface HotSpot {
  readonly name: string
  readonly location: string
  readonly selfMs: number
  readonly percent: number
}

export function hotSpots(file: string, root: string, top = 15): HotSpot[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]))
  // Starting and stopping the profiler over node:inspector shows up in the profile; that is not server work.
  const profilerWork = new Set<number>()
  const mark = (node: ProfileNode, inside: boolean) => {
    const here = inside || node.callFrame.url === 'node:inspector'
    if (here) profilerWork.add(node.id)
    for (const child of node.children ?? []) mark(byNode.get(child)!, here)
  }
  mark(profile.nodes[0], false)
  const selfMicros = new Map<string, { name: string; location: string; micros: number }>()
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i])
    const delta = profile.timeDeltas[i] ?? 0
    if (!node || profilerWork.has(node.id)) continue
    const { functionName, url, lineNumber } = node.callFrame
    // (idle) is the event loop waiting: not work the server did.
    if (functionName === '(idle)') continue
    total += delta
    const path = url.startsWith('file://') ? relative(root, new URL(url).pathname) : url
    // tsx compiles each file to one line, so only the file name says anything for our sources.
    const location = path.endsWith('.ts') ? path : path ? `${path}:${lineNumber + 1}` : ''
    const key = `${functionName}@${location}`
    const entry = selfMicros.get(key) ?? { name: functionName || '(anonymous)', location, micros: 0 }
    entry.micros += delta
    selfMicros.set(key, entry)
  }
  return [...selfMicros.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, top)
    .map((e) => ({
      name: e.name,
      location: e.location,
      selfMs: e.micros / 1000,
      percent: total ? (100 * e.micros) / total : 0,
    }))
}
