import { describe, expect, it } from 'vitest'
import { diffLines } from './line-diff'
import type { DiffLine } from './line-diff'

const render = (lines: readonly DiffLine[]) =>
  lines.map((l) => (l.kind === 'same' ? ' ' : l.kind === 'added' ? '+' : '-') + l.text)

describe('diffLines', () => {
  it('finds nothing between equal texts', () => {
    expect(diffLines('a\nb\n', 'a\nb\n')).toEqual({ hunks: [], added: 0, removed: 0 })
  })

  it('shows a changed line with its context and line numbers', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n')
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9'].join('\n')
    const diff = diffLines(before, after, 2)
    expect(diff.added).toBe(1)
    expect(diff.removed).toBe(1)
    expect(diff.hunks).toHaveLength(1)
    expect(diff.hunks[0].oldStart).toBe(3)
    expect(diff.hunks[0].newStart).toBe(3)
    expect(render(diff.hunks[0].lines)).toEqual([' 3', ' 4', '-5', '+five', ' 6', ' 7'])
  })

  it('keeps distant changes in separate hunks and merges close ones', () => {
    const base = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`)
    const far = [...base]
    far[2] = 'changed 3'
    far[25] = 'changed 26'
    expect(diffLines(base.join('\n'), far.join('\n')).hunks).toHaveLength(2)
    const near = [...base]
    near[2] = 'changed 3'
    near[7] = 'changed 8'
    const hunks = diffLines(base.join('\n'), near.join('\n')).hunks
    expect(hunks).toHaveLength(1)
    expect(hunks[0].oldStart).toBe(1)
  })

  it('handles insertions, deletions and empty sides', () => {
    const diff = diffLines('a\nb\nc', 'a\nx\ny\nc\nd')
    expect(render(diff.hunks[0].lines)).toEqual([' a', '-b', '+x', '+y', ' c', '+d'])
    expect(diffLines('', 'new\nfile').added).toBe(2)
    expect(diffLines('old\nfile\n', '').removed).toBe(2)
    const numbers = diffLines('a\nb', 'b').hunks[0].lines
    expect(numbers).toEqual([
      { kind: 'removed', text: 'a', oldLine: 1 },
      { kind: 'same', text: 'b', oldLine: 2, newLine: 1 },
    ])
  })

  it('finds a minimal script for a reordering', () => {
    const diff = diffLines('a\nb\nc\nd\ne', 'a\nc\nd\nb\ne')
    expect(diff.added + diff.removed).toBe(2)
  })

  it('reproduces both texts from the full edit script (random texts)', () => {
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const text = () =>
      Array.from({ length: Math.floor(random() * 12) }, () => 'abcd'[Math.floor(random() * 4)])
    for (let run = 0; run < 300; run++) {
      const a = text()
      const b = text()
      const lines = diffLines(a.join('\n'), b.join('\n'), 1000).hunks.flatMap((h) => h.lines)
      if (lines.length === 0) {
        expect(a).toEqual(b)
        continue
      }
      expect(lines.filter((l) => l.kind !== 'added').map((l) => l.text)).toEqual(a)
      expect(lines.filter((l) => l.kind !== 'removed').map((l) => l.text)).toEqual(b)
    }
  })
})
