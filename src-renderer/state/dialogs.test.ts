import { afterEach, describe, expect, it } from 'vitest'
import { askUnsaved, dismissDialog, pickFileInApp, showMessage, useDialogs } from './dialogs'

afterEach(() => {
  while (useDialogs.getState().stack.length > 0) dismissDialog()
})

describe('dialogs as promises', () => {
  it('resolves with the answer and closes', async () => {
    const answer = askUnsaved('open another project')
    const [open] = useDialogs.getState().stack
    expect(open).toMatchObject({ kind: 'unsaved', action: 'open another project' })
    if (open.kind === 'unsaved') open.resolve('discard')
    expect(await answer).toBe('discard')
    expect(useDialogs.getState().stack).toEqual([])
  })

  it('stacks a dialog asked from another, and cancels the top one first', async () => {
    const message = showMessage('Export', 'text')
    const file = pickFileInApp({ purpose: 'export-script' })
    expect(useDialogs.getState().stack.map((d) => d.kind)).toEqual(['message', 'file'])
    dismissDialog()
    expect(await file).toBeNull()
    expect(useDialogs.getState().stack.map((d) => d.kind)).toEqual(['message'])
    dismissDialog()
    expect(await message).toBeUndefined()
  })

  it('answers once: a second resolve is ignored', async () => {
    const answer = askUnsaved('quit')
    const [open] = useDialogs.getState().stack
    if (open.kind === 'unsaved') {
      open.resolve('save')
      open.resolve('cancel')
    }
    expect(await answer).toBe('save')
  })
})
