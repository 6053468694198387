/**
 * The application menu as data: a pure function of the shell's state, so main.ts rebuilds it when the
 * recent files or the server state change and tests read it without Electron. Items that act on the project
 * or the server do not do the work here: they ask the renderer (`onDidRequestCommand`), which owns the
 * document, unsaved changes and dialogs; clipboard, zoom and window items use Electron's built-in roles.
 *
 * Undo and Redo are commands too, not the `undo`/`redo` roles: the renderer owns the document's history. It
 * decides on receipt what they undo (Monaco's own history while the code editor has focus, the document
 * otherwise; form fields commit every keystroke to that history, so it covers their typing). The page sees a
 * key before the menu does and its shortcut handler consumes the ones it handles, so an accelerator here only
 * fires for keys the page left alone, and a click from the menu reaches the same decision.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { AppCommand, ServerState } from '@shared/api/contract'

export interface MenuState {
  readonly platform: NodeJS.Platform
  readonly appName: string
  readonly recentFiles: readonly string[]
  readonly serverState: ServerState
  /** Adds Reload and Developer Tools (never in a packaged app). */
  readonly developer: boolean
}

export interface MenuActions {
  command(command: AppCommand): void
  openRecent(path: string): void
  clearRecent(): void
}

/** Keyboard shortcuts; F5 family as in VS Code's Run menu. */
const ACCELERATORS: Partial<Record<AppCommand, string>> = {
  'file.new': 'CmdOrCtrl+N',
  'file.open': 'CmdOrCtrl+O',
  'file.save': 'CmdOrCtrl+S',
  'file.saveAs': 'CmdOrCtrl+Shift+S',
  'file.import': 'CmdOrCtrl+I',
  'file.export': 'CmdOrCtrl+E',
  'server.start': 'F5',
  'server.stop': 'Shift+F5',
  'server.restart': 'CmdOrCtrl+Shift+F5',
  'server.apply': 'CmdOrCtrl+Shift+Enter',
  'edit.undo': 'CmdOrCtrl+Z',
  'edit.redo': 'CmdOrCtrl+Shift+Z',
}

export function buildMenuTemplate(state: MenuState, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin'
  const item = (command: AppCommand, label: string, enabled = true): MenuItemConstructorOptions => ({
    id: command,
    label,
    accelerator: ACCELERATORS[command],
    enabled,
    click: () => actions.command(command),
  })
  const about = item('help.about', `&About ${state.appName}`)
  const { serverState } = state
  const stopped = serverState === 'stopped' || serverState === 'error'
  const running = serverState === 'running'

  const menus: MenuItemConstructorOptions[] = []
  if (mac) {
    menus.push({
      label: state.appName,
      submenu: [
        about,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    })
  }
  menus.push(
    {
      label: '&File',
      submenu: [
        item('file.new', '&New Project'),
        item('file.open', '&Open…'),
        {
          id: 'file.openRecent',
          label: 'Open &Recent',
          submenu: recentSubmenu(state.recentFiles, actions),
        },
        { type: 'separator' },
        item('file.save', '&Save'),
        item('file.saveAs', 'Save &As…'),
        { type: 'separator' },
        item('file.import', '&Import…'),
        item('file.export', '&Export…'),
        ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: '&Quit' } as const]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('edit.undo', '&Undo'),
        item('edit.redo', '&Redo'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        ...(state.developer
          ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const]
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Server',
      submenu: [
        item('server.start', '&Start', stopped),
        item('server.stop', 'S&top', serverState === 'running' || serverState === 'starting'),
        item('server.restart', '&Restart', running),
        { type: 'separator' },
        item('server.apply', '&Apply Changes', running),
      ],
    },
  )
  if (mac) menus.push({ role: 'windowMenu' })
  menus.push({ label: '&Help', role: 'help', submenu: mac ? [] : [about] })
  return mac ? menus.map(withoutMnemonics) : menus
}

function recentSubmenu(paths: readonly string[], actions: MenuActions): MenuItemConstructorOptions[] {
  if (paths.length === 0) return [{ label: 'No Recent Projects', enabled: false }]
  return [
    ...paths.map((path): MenuItemConstructorOptions => ({
      // Electron reads a lone '&' as a mnemonic on Windows and Linux: double it so names show as they are.
      label: path.replaceAll('&', '&&'),
      click: () => actions.openRecent(path),
    })),
    { type: 'separator' },
    {
      id: 'file.clearRecent',
      label: '&Clear Recently Opened',
      click: () => actions.clearRecent(),
    },
  ]
}

/** macOS has no mnemonics: drop each marker and turn an escaped '&&' back into '&'. */
function withoutMnemonics(item: MenuItemConstructorOptions): MenuItemConstructorOptions {
  const copy = { ...item }
  if (item.label !== undefined) copy.label = item.label.replace(/&(&?)/g, '$1')
  if (Array.isArray(item.submenu)) copy.submenu = item.submenu.map(withoutMnemonics)
  return copy
}
