import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { APP_COMMANDS } from '@shared/api/contract'
import type { AppCommand } from '@shared/api/contract'
import { buildMenuTemplate } from './application-menu'
import type { MenuState } from './application-menu'

const base: MenuState = {
  platform: 'linux',
  appName: 'IOC Studio',
  recentFiles: [],
  serverState: 'stopped',
  developer: false,
}

function build(state: Partial<MenuState> = {}) {
  const calls: string[] = []
  const template = buildMenuTemplate(
    { ...base, ...state },
    {
      command: (command) => calls.push(`command ${command}`),
      openRecent: (path) => calls.push(`open ${path}`),
      clearRecent: () => calls.push('clear'),
    },
  )
  return { template, calls }
}

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])])
}

function click(item: MenuItemConstructorOptions | undefined): void {
  expect(item?.click, `${item?.label} has no click`).toBeTypeOf('function')
  ;(item!.click as () => void)()
}

const top = (template: MenuItemConstructorOptions[]) => template.map((m) => m.label ?? m.role)
const submenuOf = (template: MenuItemConstructorOptions[], label: string) =>
  template.find((m) => m.label === label)!.submenu as MenuItemConstructorOptions[]
const byId = (template: MenuItemConstructorOptions[], id: string) =>
  flatten(template).find((i) => i.id === id)

describe('application menu', () => {
  it('has File, Edit, View, Server and Help on Windows and Linux, with Quit under File', () => {
    const { template } = build()
    expect(top(template)).toEqual(['&File', '&Edit', '&View', '&Server', '&Help'])
    const file = submenuOf(template, '&File').filter((i) => i.type !== 'separator')
    expect(file.map((i) => i.label)).toEqual([
      '&New Project',
      '&Open…',
      'Open &Recent',
      '&Save',
      'Save &As…',
      '&Import…',
      '&Export…',
      '&Quit',
    ])
    expect(file.at(-1)?.role).toBe('quit')
  })

  it('sends every app command to the renderer from exactly one item', () => {
    const { template, calls } = build({ serverState: 'running' })
    for (const command of APP_COMMANDS) {
      const items = flatten(template).filter((i) => i.id === command)
      expect(items, command).toHaveLength(1)
      click(items[0])
    }
    expect(calls).toEqual(APP_COMMANDS.map((c) => `command ${c}`))
  })

  it('gives the file and server commands their shortcuts', () => {
    const { template } = build()
    const accelerator = (id: AppCommand) => byId(template, id)?.accelerator
    expect(accelerator('file.save')).toBe('CmdOrCtrl+S')
    expect(accelerator('file.saveAs')).toBe('CmdOrCtrl+Shift+S')
    expect(accelerator('server.start')).toBe('F5')
    expect(accelerator('server.apply')).toBe('CmdOrCtrl+Shift+Enter')
    const all = flatten(template).flatMap((i) => (i.accelerator ? [i.accelerator] : []))
    expect(new Set(all).size).toBe(all.length)
  })

  it("routes Undo and Redo to the renderer's document history, keeping the clipboard roles", () => {
    const { template, calls } = build()
    const edit = submenuOf(template, '&Edit').filter((i) => i.type !== 'separator')
    expect(edit.map((i) => i.id ?? i.role)).toEqual([
      'edit.undo',
      'edit.redo',
      'cut',
      'copy',
      'paste',
      'delete',
      'selectAll',
    ])
    expect(edit.slice(0, 2).map((i) => [i.label, i.accelerator, i.role])).toEqual([
      ['&Undo', 'CmdOrCtrl+Z', undefined],
      ['&Redo', 'CmdOrCtrl+Shift+Z', undefined],
    ])
    click(edit[0])
    click(edit[1])
    expect(calls).toEqual(['command edit.undo', 'command edit.redo'])
  })

  it.each([
    ['stopped', { start: true, stop: false, restart: false, apply: false }],
    ['error', { start: true, stop: false, restart: false, apply: false }],
    ['starting', { start: false, stop: true, restart: false, apply: false }],
    ['running', { start: false, stop: true, restart: true, apply: true }],
    ['stopping', { start: false, stop: false, restart: false, apply: false }],
  ] as const)('enables only the server items that make sense while %s', (serverState, expected) => {
    const { template } = build({ serverState })
    expect({
      start: byId(template, 'server.start')?.enabled,
      stop: byId(template, 'server.stop')?.enabled,
      restart: byId(template, 'server.restart')?.enabled,
      apply: byId(template, 'server.apply')?.enabled,
    }).toEqual(expected)
  })

  it('puts Apply Changes last in the Server menu, after a separator', () => {
    const server = submenuOf(build({ serverState: 'running' }).template, '&Server')
    expect(server.map((i) => i.label ?? i.type)).toEqual([
      '&Start',
      'S&top',
      '&Restart',
      'separator',
      '&Apply Changes',
    ])
  })

  it('lists recent projects, opens the one clicked, and can clear the list', () => {
    const { template, calls } = build({ recentFiles: ['/home/ada/pumps.ioc.json', '/srv/R&D/beam.ioc.json'] })
    const recent = byId(template, 'file.openRecent')!.submenu as MenuItemConstructorOptions[]
    expect(recent.map((i) => i.label ?? i.type)).toEqual([
      '/home/ada/pumps.ioc.json',
      '/srv/R&&D/beam.ioc.json',
      'separator',
      '&Clear Recently Opened',
    ])
    click(recent[1])
    click(byId(template, 'file.clearRecent'))
    expect(calls).toEqual(['open /srv/R&D/beam.ioc.json', 'clear'])
  })

  it('shows a disabled placeholder when there is nothing recent', () => {
    const recent = byId(build().template, 'file.openRecent')!.submenu as MenuItemConstructorOptions[]
    expect(recent).toEqual([{ label: 'No Recent Projects', enabled: false }])
  })

  it('follows macOS conventions: app menu with About and Quit, Window menu, no mnemonics', () => {
    const { template } = build({ platform: 'darwin', recentFiles: ['/Users/ada/R&D.ioc.json'] })
    expect(top(template)).toEqual(['IOC Studio', 'File', 'Edit', 'View', 'Server', 'windowMenu', 'Help'])
    const appMenu = template[0].submenu as MenuItemConstructorOptions[]
    expect(appMenu[0]).toMatchObject({ id: 'help.about', label: 'About IOC Studio' })
    expect(appMenu.at(-1)?.role).toBe('quit')
    expect(flatten(submenuOf(template, 'File')).some((i) => i.role === 'quit')).toBe(false)
    expect(byId(template, 'file.saveAs')?.label).toBe('Save As…')
    const recent = byId(template, 'file.openRecent')!.submenu as MenuItemConstructorOptions[]
    expect(recent[0].label).toBe('/Users/ada/R&D.ioc.json')
    expect(flatten(template).filter((i) => i.label?.includes('&') && !i.label.includes('R&D'))).toEqual([])
  })

  it('offers Reload and Developer Tools only to developers', () => {
    const roles = (developer: boolean) => flatten(build({ developer }).template).map((i) => i.role)
    expect(roles(false)).not.toContain('toggleDevTools')
    expect(roles(false)).not.toContain('reload')
    expect(roles(true)).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']))
  })
})
