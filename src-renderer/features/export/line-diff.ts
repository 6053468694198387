/**
 * A line diff (Myers' O(ND) algorithm) for the export preview: what overwriting a script on disk would
 * change. Common head and tail lines are skipped before the search, so a small edit to a long script costs
 * little; the result is grouped into hunks with a few lines of context, like `diff -u`.
 */
export type DiffLine =
  | { readonly kind: 'same'; readonly text: string; readonly oldLine: number; readonly newLine: number }
  | { readonly kind: 'removed'; readonly text: string; readonly oldLine: number }
  | { readonly kind: 'added'; readonly text: string; readonly newLine: number }

export interface DiffHunk {
  readonly oldStart: number
  readonly newStart: number
  readonly lines: readonly DiffLine[]
}

export interface LineDiff {
  readonly hunks: readonly DiffHunk[]
  readonly added: number
  readonly removed: number
}

export function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

export function diffLines(oldText: string, newText: string, context = 3): LineDiff {
  const a = splitLines(oldText)
  const b = splitLines(newText)
  const lines = editScript(a, b)
  let added = 0
  let removed = 0
  for (const line of lines) {
    if (line.kind === 'added') added++
    else if (line.kind === 'removed') removed++
  }
  return { hunks: toHunks(lines, context), added, removed }
}

function editScript(a: readonly string[], b: readonly string[]): DiffLine[] {
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++

  const out: DiffLine[] = []
  for (let i = 0; i < head; i++) out.push({ kind: 'same', text: a[i], oldLine: i + 1, newLine: i + 1 })
  const middle = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail))
  for (const line of middle) {
    if (line.kind === 'same')
      out.push({ ...line, oldLine: line.oldLine + head, newLine: line.newLine + head })
    else if (line.kind === 'removed') out.push({ ...line, oldLine: line.oldLine + head })
    else out.push({ ...line, newLine: line.newLine + head })
  }
  for (let i = tail; i > 0; i--) {
    const oldIndex = a.length - i
    out.push({ kind: 'same', text: a[oldIndex], oldLine: oldIndex + 1, newLine: b.length - i + 1 })
  }
  return out
}

/** Shortest edit script between a and b, as lines numbered from 1 within a and b. */
function myers(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length
  const m = b.length
  const max = n + m
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let found = n === 0 && m === 0
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice())
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) {
        found = true
        break
      }
    }
  }
  // Walk the trace back from (n, m) to (0, 0).
  const out: DiffLine[] = []
  let x = n
  let y = m
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]
    const k = x - y
    const down = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1])
    const prevK = down ? k + 1 : k - 1
    const prevX = d === 0 ? 0 : vd[offset + prevK]
    const prevY = d === 0 ? 0 : prevX - prevK
    while (x > prevX && y > prevY) {
      out.push({ kind: 'same', text: a[x - 1], oldLine: x, newLine: y })
      x--
      y--
    }
    if (d === 0) break
    if (down) out.push({ kind: 'added', text: b[y - 1], newLine: y })
    else out.push({ kind: 'removed', text: a[x - 1], oldLine: x })
    x = prevX
    y = prevY
  }
  return out.reverse()
}

function toHunks(lines: readonly DiffLine[], context: number): DiffHunk[] {
  // Ranges of changed lines widened by their context; ranges that touch are merged.
  const ranges: [number, number][] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].kind === 'same') continue
    const from = Math.max(0, i - context)
    const to = Math.min(lines.length, i + 1 + context)
    const last = ranges.at(-1)
    if (last && from <= last[1]) last[1] = to
    else ranges.push([from, to])
  }
  return ranges.map(([from, to]) => {
    const slice = lines.slice(from, to)
    return { oldStart: firstLine(slice, 'old'), newStart: firstLine(slice, 'new'), lines: slice }
  })
}

function firstLine(lines: readonly DiffLine[], side: 'old' | 'new'): number {
  for (const line of lines) {
    if (side === 'old' && line.kind !== 'added') return line.oldLine
    if (side === 'new' && line.kind !== 'removed') return line.newLine
  }
  return 0
}
