/**
 * Keyboard shortcuts, the same as the desktop menu's accelerators (where the desktop menu has them it
 * catches the keys first and sends the same commands). Browsers keep a few keys for themselves (Ctrl+N,
 * Ctrl+T, Ctrl+W); those actions stay on the toolbar there.
 */
import type { AppCommand } from '@shared/api/contract'

export interface Shortcut {
  readonly command: AppCommand
  /** As shown in tooltips: "Ctrl+S". */
  readonly label: string
  matches(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): boolean
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
const MOD = isMac ? '⌘' : 'Ctrl'

function shortcut(command: AppCommand, key: string, mods: { mod?: boolean; shift?: boolean } = {}): Shortcut {
  const label = [mods.mod ? MOD : '', mods.shift ? 'Shift' : '', key.length === 1 ? key.toUpperCase() : key]
    .filter(Boolean)
    .join('+')
  return {
    command,
    label,
    matches: (event) =>
      event.key.toLowerCase() === key.toLowerCase() &&
      (event.ctrlKey || event.metaKey) === Boolean(mods.mod) &&
      event.shiftKey === Boolean(mods.shift) &&
      !event.altKey,
  }
}

export const SHORTCUTS: readonly Shortcut[] = [
  shortcut('file.new', 'n', { mod: true }),
  shortcut('file.open', 'o', { mod: true }),
  shortcut('file.save', 's', { mod: true }),
  shortcut('file.saveAs', 's', { mod: true, shift: true }),
  shortcut('file.import', 'i', { mod: true }),
  shortcut('file.export', 'e', { mod: true }),
  shortcut('edit.undo', 'z', { mod: true }),
  shortcut('edit.redo', 'z', { mod: true, shift: true }),
  shortcut('edit.redo', 'y', { mod: true }),
  shortcut('server.start', 'F5'),
  shortcut('server.stop', 'F5', { shift: true }),
  shortcut('server.restart', 'F5', { mod: true, shift: true }),
  shortcut('server.apply', 'Enter', { mod: true, shift: true }),
]

export function shortcutFor(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
) {
  return SHORTCUTS.find((s) => s.matches(event))
}

/** "Save (Ctrl+S)", for titles and tooltips. */
export function withShortcut(title: string, command: AppCommand): string {
  const found = SHORTCUTS.find((s) => s.command === command)
  return found ? `${title} (${found.label})` : title
}
