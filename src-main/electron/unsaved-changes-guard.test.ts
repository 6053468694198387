import { EventEmitter } from 'node:events'
import type { MessageBoxOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { guardUnsavedChanges, unsavedChangesQuestion } from './unsaved-changes-guard'

/** A window that closes as Electron's does: 'close' can be prevented, 'closed' follows otherwise. */
class Window extends EventEmitter {
  closed = false
  close() {
    let prevented = false
    this.emit('close', { preventDefault: () => (prevented = true) })
    if (!prevented) this.closed = true
  }
}

function setUp(dirty: boolean, answers: (number | Error)[]) {
  const window = new Window()
  const source = { hasUnsavedChanges: dirty }
  const asked: MessageBoxOptions[] = []
  let release: () => void = () => {}
  const gate = { held: false }
  const dialog = {
    showMessageBox: async (_window: Window, options: MessageBoxOptions) => {
      asked.push(options)
      if (gate.held) await new Promise<void>((resolve) => (release = resolve))
      const answer = answers.shift()!
      if (answer instanceof Error) throw answer
      return { response: answer }
    },
  }
  guardUnsavedChanges(window, source, dialog, () => '/home/ada/pumps.ioc.json')
  return { window, source, asked, gate, release: () => release() }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('unsaved changes guard', () => {
  it('lets a window without unsaved changes close at once', () => {
    const { window, asked } = setUp(false, [])
    window.close()
    expect(window.closed).toBe(true)
    expect(asked).toEqual([])
  })

  it('keeps the window when the answer is Cancel', async () => {
    const { window, asked } = setUp(true, [1])
    window.close()
    await settle()
    expect(window.closed).toBe(false)
    expect(asked).toHaveLength(1)
  })

  it('closes the window itself once the user chose to discard', async () => {
    const { window } = setUp(true, [0])
    window.close()
    expect(window.closed).toBe(false)
    await settle()
    expect(window.closed).toBe(true)
  })

  it('asks once while a question is open, however often the window is told to close', async () => {
    const { window, asked, gate, release } = setUp(true, [0])
    gate.held = true
    window.close()
    window.close()
    await settle()
    expect(asked).toHaveLength(1)
    release()
    await settle()
    expect(window.closed).toBe(true)
  })

  it('keeps the window when the question cannot be shown, and asks again next time', async () => {
    const { window, asked } = setUp(true, [new Error('no display'), 1])
    window.close()
    await settle()
    expect(window.closed).toBe(false)
    window.close()
    await settle()
    expect(asked).toHaveLength(2)
  })

  it('does not ask once the changes are saved', async () => {
    const { window, source, asked } = setUp(true, [1])
    window.close()
    await settle()
    source.hasUnsavedChanges = false
    window.close()
    expect(window.closed).toBe(true)
    expect(asked).toHaveLength(1)
  })

  it('names the project, defaults to Cancel and lets Escape cancel', () => {
    expect(unsavedChangesQuestion('/home/ada/pumps.ioc.json')).toMatchObject({
      type: 'warning',
      buttons: ['Close Without Saving', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
    })
    expect(unsavedChangesQuestion('/home/ada/pumps.ioc.json').detail).toMatch(/^pumps has changes/)
    expect(unsavedChangesQuestion(null).detail).toMatch(/^The untitled project has changes/)
  })
})
