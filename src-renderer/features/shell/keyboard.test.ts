import { describe, expect, it } from 'vitest'
import { shortcutFor, withShortcut } from './keyboard'

const key = (k: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
  key: k,
  ctrlKey: Boolean(mods.ctrl),
  metaKey: false,
  shiftKey: Boolean(mods.shift),
  altKey: Boolean(mods.alt),
})

describe('keyboard shortcuts', () => {
  it('maps keys to commands, modifiers exactly', () => {
    expect(shortcutFor(key('s', { ctrl: true }))?.command).toBe('file.save')
    expect(shortcutFor(key('S', { ctrl: true, shift: true }))?.command).toBe('file.saveAs')
    expect(shortcutFor(key('F5'))?.command).toBe('server.start')
    expect(shortcutFor(key('F5', { shift: true }))?.command).toBe('server.stop')
    expect(shortcutFor(key('Enter', { ctrl: true, shift: true }))?.command).toBe('server.apply')
    expect(shortcutFor(key('z', { ctrl: true }))?.command).toBe('edit.undo')
    expect(shortcutFor(key('y', { ctrl: true }))?.command).toBe('edit.redo')
    expect(shortcutFor(key('s'))).toBeUndefined()
    expect(shortcutFor(key('s', { ctrl: true, alt: true }))).toBeUndefined()
  })

  it('labels commands with their keys', () => {
    expect(withShortcut('Save', 'file.save')).toBe('Save (Ctrl+S)')
    expect(withShortcut('About', 'help.about')).toBe('About')
  })
})
