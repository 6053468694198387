import { describe, expect, it } from 'vitest'
import { commit, HISTORY_LIMIT, redo, redoLabel, startHistory, undo, undoLabel } from './history'

describe('document history', () => {
  it('undoes and redoes edits in order, with their labels', () => {
    let h = startHistory('a')
    h = commit(h, 'ab', { label: 'Add b', now: 0 })
    h = commit(h, 'abc', { label: 'Add c', now: 10_000 })
    expect(undoLabel(h)).toBe('Add c')
    h = undo(h)
    expect(h.present).toBe('ab')
    expect(redoLabel(h)).toBe('Add c')
    expect(undoLabel(h)).toBe('Add b')
    h = undo(h)
    expect(h.present).toBe('a')
    expect(undoLabel(h)).toBeNull()
    expect(undo(h)).toBe(h)
    h = redo(redo(h))
    expect(h.present).toBe('abc')
    expect(redoLabel(h)).toBeNull()
    expect(redo(h)).toBe(h)
  })

  it('drops the redo branch on a new edit', () => {
    let h = commit(startHistory(1), 2, { label: 'two', now: 0 })
    h = undo(h)
    h = commit(h, 3, { label: 'three', now: 1 })
    expect(h.future).toEqual([])
    expect(undo(h).present).toBe(1)
  })

  it('merges a burst of typing in one field into one step', () => {
    let h = startHistory('')
    for (const [i, text] of ['h', 'he', 'hel', 'hell'].entries()) {
      h = commit(h, text, { label: 'Edit description', coalesceKey: 'pv0.description', now: i * 500 })
    }
    // A pause longer than the window starts a new step, and so does another field.
    h = commit(h, 'hello', { label: 'Edit description', coalesceKey: 'pv0.description', now: 5000 })
    h = commit(h, 'hello!', { label: 'Edit units', coalesceKey: 'pv0.units', now: 5100 })
    expect(undo(h).present).toBe('hello')
    expect(undo(undo(h)).present).toBe('hell')
    expect(undo(undo(undo(h))).present).toBe('')
  })

  it('does not merge into a step that was undone', () => {
    let h = commit(startHistory('x'), 'xy', { label: 'type', coalesceKey: 'k', now: 0 })
    h = commit(h, 'xyz', { label: 'type', coalesceKey: 'k', now: 10 })
    h = undo(h)
    h = commit(h, 'x!', { label: 'type', coalesceKey: 'k', now: 20 })
    expect(undo(h).present).toBe('x')
  })

  it('ignores edits that change nothing and keeps a bounded past', () => {
    const start = startHistory(0)
    expect(commit(start, 0, { label: 'same' })).toBe(start)
    let h = start
    for (let i = 1; i <= HISTORY_LIMIT + 50; i++) h = commit(h, i, { label: `set ${i}`, now: i * 10_000 })
    expect(h.past).toHaveLength(HISTORY_LIMIT)
    expect(h.past[0].document).toBe(50)
  })
})
