import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MenuItemConstructorOptions } from 'electron'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AppInfo, ServerStatus } from '@shared/api/contract'
import { InMemoryIpc } from './in-memory-ipc'
import { REQUEST_CHANNEL, streamChannel } from './ipc-channels'
import type { IpcReply } from './ipc-channels'

// main.ts runs at import, so each test builds a fresh stand-in `electron` module and imports main.ts anew.
// The stand-in records what main.ts asks of Electron; everything behind it (protocol handler, IPC adapter,
// Backend, menu builder, window placement) is the real code.
const fake = vi.hoisted(() => ({ electron: undefined as unknown as Record<string, unknown> }))
vi.mock('electron', () => {
  // The mocked module is created once; its exports read the current test's stand-ins.
  const current = (name: string) => ({ get: () => fake.electron[name], enumerable: true })
  const names = ['app', 'ipcMain', 'nativeTheme', 'screen', 'session', 'protocol', 'Menu', 'BrowserWindow']
  return Object.defineProperties({}, Object.fromEntries(names.map((name) => [name, current(name)])))
})

interface World {
  calls: string[]
  app: EventEmitter
  ready: () => void
  ipc: InMemoryIpc
  windows: FakeWindow[]
  menus: MenuItemConstructorOptions[][]
  schemes: unknown[]
  appHandler?: (request: Request) => Promise<Response>
  userData: string
}

class FakeWindow extends EventEmitter {
  shown = false
  focused = false
  loaded = ''
  constructor(
    readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> },
    readonly webContents: unknown,
  ) {
    super()
  }
  loadURL(url: string) {
    this.loaded = url
    return Promise.resolve()
  }
  show() {
    this.shown = true
  }
  maximize() {}
  isMaximized() {
    return false
  }
  isMinimized() {
    return true
  }
  restore() {}
  focus() {
    this.focused = true
  }
  getNormalBounds() {
    return { x: 40, y: 50, width: 1000, height: 700 }
  }
}

function createWorld(gotLock: boolean): World {
  const calls: string[] = []
  let ready!: () => void
  const readyPromise = new Promise<void>((resolve) => (ready = resolve))
  const world: World = {
    calls,
    ready: () => ready(),
    ipc: new InMemoryIpc(),
    windows: [],
    menus: [],
    schemes: [],
    userData: mkdtempSync(join(tmpdir(), 'ioc-main-')),
    app: Object.assign(new EventEmitter(), {
      isPackaged: false,
      name: 'IOC Studio',
      requestSingleInstanceLock: () => (calls.push('lock'), gotLock),
      quit: () => calls.push('quit'),
      exit: (code: number) => calls.push(`exit ${code}`),
      whenReady: () => (calls.push('whenReady'), readyPromise),
      getVersion: () => '3.2.1',
      getAppPath: () => '/repo',
      getPath: (name: string) => (name === 'userData' ? world.userData : `/tmp/${name}`),
    }),
  }
  const display = (id: number, x: number) => ({ id, workArea: { x, y: 0, width: 1920, height: 1080 } })
  fake.electron = {
    app: world.app,
    ipcMain: world.ipc.ipcMain,
    nativeTheme: { shouldUseDarkColors: true },
    screen: {
      getPrimaryDisplay: () => display(1, 0),
      getAllDisplays: () => [display(2, 1920), display(1, 0)],
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => calls.push('permission requests'),
        setPermissionCheckHandler: () => calls.push('permission checks'),
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => (
        calls.push('register schemes'),
        world.schemes.push(...schemes)
      ),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        calls.push(`handle ${scheme}`)
        world.appHandler = handler
      },
    },
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
      setApplicationMenu: (menu: MenuItemConstructorOptions[]) => world.menus.push(menu),
    },
    BrowserWindow: class extends FakeWindow {
      constructor(options: FakeWindow['options']) {
        super(options, world.ipc.webContents)
        world.windows.push(this)
      }
    },
  }
  return world
}

async function launch(gotLock = true): Promise<World> {
  const world = createWorld(gotLock)
  vi.resetModules()
  await import('./main')
  return world
}

async function launchReady(): Promise<World> {
  const world = await launch()
  world.ready()
  await vi.waitFor(() => expect(world.windows).toHaveLength(1))
  return world
}

function menuItem(menu: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined {
  for (const item of menu) {
    if (item.id === id) return item
    const found = Array.isArray(item.submenu) ? menuItem(item.submenu, id) : undefined
    if (found) return found
  }
  return undefined
}

let world: World | undefined
afterEach(async () => {
  vi.unstubAllEnvs()
  if (!world) return
  world.app.emit('will-quit', { preventDefault() {} })
  rmSync(world.userData, { recursive: true, force: true })
  world = undefined
})

describe('main', () => {
  it('quits at once when another instance holds the lock', async () => {
    world = await launch(false)
    expect(world.calls).toEqual(['register schemes', 'lock', 'quit'])
  })

  it('registers app:// as a standard, secure scheme before the app is ready', async () => {
    world = await launch()
    expect(world.calls).toEqual(['register schemes', 'lock', 'whenReady'])
    expect(world.schemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ])
  })

  it('once ready, locks down permissions, serves app:// and opens one sandboxed window on it', async () => {
    world = await launchReady()
    expect(world.calls).toEqual(
      expect.arrayContaining(['permission requests', 'permission checks', 'handle app']),
    )
    const [window] = world.windows
    expect(window.loaded).toBe('app://ioc/index.html')
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    })
    expect(window.options.webPreferences.preload).toMatch(/[/\\]preload[/\\]preload\.cjs$/)
    expect(window.options).toMatchObject({ show: false, backgroundColor: '#1e1e1e' })
    window.emit('ready-to-show')
    expect(window.shown).toBe(true)
    const response = await world.appHandler!(new Request('app://ioc/%2e%2e%2fpackage.json'))
    expect(response.status).toBe(403)
  })

  it('answers the page over IPC with the Electron-hosted backend', async () => {
    world = await launchReady()
    const reply = (await world.ipc.ipcRenderer.invoke(REQUEST_CHANNEL, 'getAppInfo', [])) as IpcReply
    expect(reply.ok).toBe(true)
    expect((reply as { result: AppInfo }).result).toMatchObject({ host: 'electron', version: '3.2.1' })
    world.ipc.frameUrl = 'https://example.org/'
    expect(((await world.ipc.ipcRenderer.invoke(REQUEST_CHANNEL, 'getAppInfo', [])) as IpcReply).ok).toBe(
      false,
    )
  })

  it('turns menu clicks into onDidRequestCommand events for the page', async () => {
    world = await launchReady()
    const menu = world.menus.at(-1)!
    ;(menuItem(menu, 'file.saveAs')!.click as () => void)()
    ;(menuItem(menu, 'help.about')!.click as () => void)()
    const commands = world.ipc.sent.filter((m) => m.channel === streamChannel('onDidRequestCommand'))
    expect(commands.map((m) => m.args)).toEqual([['file.saveAs'], ['help.about']])
  })

  it('rebuilds the menu when the server state changes', async () => {
    // Whatever CA server main.ts launches stays on loopback and off the default ports.
    vi.stubEnv('EPICS_CAS_SERVER_PORT', '45961')
    vi.stubEnv('EPICS_CAS_BEACON_PORT', '45962')
    vi.stubEnv('EPICS_CAS_INTF_ADDR_LIST', '127.0.0.1')
    vi.stubEnv('EPICS_CAS_AUTO_BEACON_ADDR_LIST', 'NO')
    world = await launchReady()
    expect(menuItem(world.menus.at(-1)!, 'server.start')?.enabled).toBe(true)
    const before = world.menus.length
    const reply = (await world.ipc.ipcRenderer.invoke(REQUEST_CHANNEL, 'startServer', [])) as IpcReply
    const { state } = (reply as { result: ServerStatus }).result
    expect(menuItem(world.menus[before], 'server.start')?.enabled).toBe(false) // while 'starting'
    expect(menuItem(world.menus.at(-1)!, 'server.start')?.enabled).toBe(state === 'error')
    expect(menuItem(world.menus.at(-1)!, 'server.stop')?.enabled).toBe(state === 'running')
    await world.ipc.ipcRenderer.invoke(REQUEST_CHANNEL, 'stopServer', [])
    expect(menuItem(world.menus.at(-1)!, 'server.start')?.enabled).toBe(true)
  })

  it('locks down every web contents Electron creates', async () => {
    world = await launchReady()
    const contents = Object.assign(new EventEmitter(), { openHandler: undefined as unknown })
    Object.assign(contents, { setWindowOpenHandler: (h: unknown) => (contents.openHandler = h) })
    world.app.emit('web-contents-created', {}, contents)
    expect(contents.listenerCount('will-frame-navigate')).toBe(1)
    expect((contents.openHandler as (d: { url: string }) => unknown)({ url: 'https://x.example' })).toEqual({
      action: 'deny',
    })
  })

  it('brings the window forward when a second instance starts', async () => {
    world = await launchReady()
    world.app.emit('second-instance')
    expect(world.windows[0].focused).toBe(true)
    expect(world.windows).toHaveLength(1)
  })

  it('remembers the window bounds in userData when the window closes', async () => {
    world = await launchReady()
    world.windows[0].emit('close')
    expect(JSON.parse(readFileSync(join(world.userData, 'window-state.json'), 'utf8'))).toEqual({
      bounds: { x: 40, y: 50, width: 1000, height: 700 },
      maximized: false,
    })
  })

  it('quits when the window is closed, after disposing the backend', async () => {
    world = await launchReady()
    world.app.emit('window-all-closed')
    expect(world.calls.at(-1)).toBe('quit')
    let prevented = false
    world.app.emit('will-quit', { preventDefault: () => (prevented = true) })
    expect(prevented).toBe(true)
    await vi.waitFor(() => expect(world!.calls.filter((c) => c === 'quit')).toHaveLength(2))
    // The second will-quit (from that quit) goes through.
    prevented = false
    world.app.emit('will-quit', { preventDefault: () => (prevented = true) })
    expect(prevented).toBe(false)
  })
})
