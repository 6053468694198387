import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { MenuItemConstructorOptions, MessageBoxOptions, OpenDialogOptions } from 'electron'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type {
  AppInfo,
  ExampleProject,
  OpenProject,
  ProjectFileState,
  ServerStatus,
  StreamName,
} from '@shared/api/contract'
import { FILE_DIALOGS } from '../backend'
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
  const names = [
    'app',
    'ipcMain',
    'nativeTheme',
    'screen',
    'session',
    'protocol',
    'Menu',
    'BrowserWindow',
    'dialog',
  ]
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
  recentDocuments: string[]
  /** Set once a test has seen the backend disposed itself. */
  disposed?: boolean
  /** What the native dialogs were asked, and what they answer next. */
  dialogs: { kind: string; parent: unknown; options: OpenDialogOptions | MessageBoxOptions }[]
  answers: { open: string[]; save: string | undefined; messageBox: number }
}

const REPO = resolve(import.meta.dirname, '../..')

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
  /** As Electron does: 'close' first, 'closed' unless a listener prevented it. */
  close() {
    let prevented = false
    this.emit('close', { preventDefault: () => (prevented = true) })
    if (!prevented) this.emit('closed')
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
    recentDocuments: [],
    dialogs: [],
    answers: { open: [], save: undefined, messageBox: 1 },
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
      addRecentDocument: (path: string) => world.recentDocuments.push(path),
    }),
  }
  const shown = (kind: string, parent: unknown, options: OpenDialogOptions | MessageBoxOptions) =>
    world.dialogs.push({ kind, parent, options })
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
    dialog: {
      showOpenDialog: async (parent: unknown, options: OpenDialogOptions) => {
        shown('open', parent, options)
        return { canceled: world.answers.open.length === 0, filePaths: world.answers.open }
      },
      showSaveDialog: async (parent: unknown, options: OpenDialogOptions) => {
        shown('save', parent, options)
        return { canceled: world.answers.save === undefined, filePath: world.answers.save ?? '' }
      },
      showMessageBox: async (parent: unknown, options: MessageBoxOptions) => {
        shown('message', parent, options)
        return { response: world.answers.messageBox, checkboxChecked: false }
      },
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

/** Runs main.ts in a world a test prepared, until its window is open. */
async function startWorld(world: World): Promise<void> {
  vi.resetModules()
  await import('./main')
  world.ready()
  await vi.waitFor(() => expect(world.windows).toHaveLength(1))
}

async function launchReady(): Promise<World> {
  const world = createWorld(true)
  await startWorld(world)
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

async function request<T>(name: string, ...args: unknown[]): Promise<T> {
  const reply = (await world!.ipc.ipcRenderer.invoke(REQUEST_CHANNEL, name, args)) as IpcReply
  if (!reply.ok) throw new Error(`${name} failed: ${JSON.stringify(reply)}`)
  return (reply as { result: T }).result
}

const sentOn = (w: World, stream: StreamName) =>
  w.ipc.sent.filter((m) => m.channel === streamChannel(stream)).map((m) => m.args[0])

let world: World | undefined
afterEach(async () => {
  vi.unstubAllEnvs()
  if (!world) return
  if (world.app.listenerCount('will-quit') > 0 && !world.disposed) {
    // Wait for the backend to be disposed (main.ts quits after it): a running IOC must not outlive its test.
    const quits = () => world!.calls.filter((c) => c === 'quit').length
    const before = quits()
    world.app.emit('will-quit', { preventDefault() {} })
    await vi.waitFor(() => expect(quits()).toBeGreaterThan(before), { timeout: 5000 })
  }
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

  it('runs the open project through the backend and rebuilds the menu as the server state changes', async () => {
    // The IOC main.ts runs stays on loopback and off the default ports.
    vi.stubEnv('EPICS_CAS_SERVER_PORT', '45961')
    vi.stubEnv('EPICS_CAS_BEACON_PORT', '45962')
    vi.stubEnv('EPICS_CAS_INTF_ADDR_LIST', '127.0.0.1')
    vi.stubEnv('EPICS_CAS_AUTO_BEACON_ADDR_LIST', 'NO')
    world = createWorld(true)
    Object.assign(world.app, { getAppPath: () => REPO })
    await startWorld(world)
    await request('newProject', 'simple-server')
    expect(menuItem(world.menus.at(-1)!, 'server.start')?.enabled).toBe(true)
    expect(menuItem(world.menus.at(-1)!, 'server.apply')?.enabled).toBe(false)
    const before = world.menus.length
    const status = await request<ServerStatus>('startServer')
    expect(status).toMatchObject({ state: 'running', tcpPort: 45961, error: null })
    expect(status.pvCount).toBeGreaterThan(0)
    expect(menuItem(world.menus[before], 'server.start')?.enabled).toBe(false) // while 'starting'
    expect(menuItem(world.menus.at(-1)!, 'server.stop')?.enabled).toBe(true)
    expect(menuItem(world.menus.at(-1)!, 'server.apply')?.enabled).toBe(true)
    await request('stopServer')
    expect(menuItem(world.menus.at(-1)!, 'server.start')?.enabled).toBe(true)
    expect(menuItem(world.menus.at(-1)!, 'server.apply')?.enabled).toBe(false)
  })

  it('offers the example projects from resources/examples in development', async () => {
    world = createWorld(true)
    Object.assign(world.app, { getAppPath: () => REPO })
    await startWorld(world)
    const examples = await request<ExampleProject[]>('listExamples')
    expect(examples.map((e) => e.id)).toContain('simple-server')
  })

  it('offers the example projects beside app.asar once packaged', async () => {
    world = createWorld(true)
    Object.assign(world.app, { isPackaged: true, getAppPath: () => '/nowhere/app.asar' })
    vi.stubGlobal(
      'process',
      Object.assign(Object.create(process), { resourcesPath: join(REPO, 'resources') }),
    )
    try {
      await startWorld(world)
    } finally {
      vi.unstubAllGlobals()
    }
    const examples = await request<ExampleProject[]>('listExamples')
    expect(examples.map((e) => e.id)).toContain('simple-server')
  })

  it('shows native file dialogs for the page, titled and filtered per purpose, modal to the window', async () => {
    world = await launchReady()
    expect((await request<AppInfo>('getAppInfo')).nativeFileDialogs).toBe(true)
    world.answers.save = '/home/ada/motor.json' // a platform that appended the filter's extension
    expect(await request('showFileDialog', { purpose: 'save-project', defaultPath: '/home/ada' })).toBe(
      '/home/ada/motor.ioc.json',
    )
    world.answers.open = ['/home/ada/pumps.py']
    expect(await request('showFileDialog', { purpose: 'import-script' })).toBe('/home/ada/pumps.py')
    world.answers.open = []
    expect(await request('showFileDialog', { purpose: 'open' })).toBeNull()
    expect(world.dialogs.map((d) => [d.kind, d.parent === world!.windows[0], d.options.title])).toEqual([
      ['save', true, FILE_DIALOGS['save-project'].title],
      ['open', true, FILE_DIALOGS['import-script'].title],
      ['open', true, FILE_DIALOGS.open.title],
    ])
    expect(world.dialogs[0].options).toMatchObject({ defaultPath: '/home/ada', buttonLabel: 'Save' })
    await expect(request('showFileDialog', { purpose: 'delete-everything' })).rejects.toThrow(/failed/)
  })

  it('keeps Open Recent in userData, fed by the backend, and opens an entry through the page', async () => {
    world = await launchReady()
    const path = join(world.userData, 'pumps.ioc.json')
    await request<ProjectFileState>('saveProject', path)
    expect(JSON.parse(readFileSync(join(world.userData, 'recent-files.json'), 'utf8'))).toEqual([path])
    expect(world.recentDocuments).toEqual([path])
    const recent = menuItem(world.menus.at(-1)!, 'file.openRecent')!.submenu as MenuItemConstructorOptions[]
    expect(recent[0].label).toBe(path)
    ;(recent[0].click as () => void)()
    // The page asks about unsaved changes, then opens it.
    expect(sentOn(world, 'onDidRequestOpenFile')).toEqual([path])
    ;(menuItem(world.menus.at(-1)!, 'file.clearRecent')!.click as () => void)()
    expect(await request('getRecentProjects')).toEqual([])
    expect(menuItem(world.menus.at(-1)!, 'file.openRecent')!.submenu).toEqual([
      { label: 'No Recent Projects', enabled: false },
    ])
  })

  it('asks before closing the window with unsaved changes and respects the answer', async () => {
    world = await launchReady()
    const [window] = world.windows
    const closed = () => world!.calls.includes('window closed')
    window.on('closed', () => world!.calls.push('window closed'))
    const { project } = await request<OpenProject>('getProject')
    await request('updateProject', { ...project, server: { ...project.server, name: 'Pumps' } })

    world.answers.messageBox = 1 // Cancel
    window.close()
    await vi.waitFor(() => expect(world!.dialogs).toHaveLength(1))
    const question = world.dialogs[0]
    expect(question.parent).toBe(window)
    expect(question.options).toMatchObject({ type: 'warning', cancelId: 1, defaultId: 1 })
    expect((question.options as MessageBoxOptions).detail).toMatch(/untitled project has changes/)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(closed()).toBe(false)

    world.answers.messageBox = 0 // Close Without Saving
    window.close()
    await vi.waitFor(() => expect(closed()).toBe(true))
    expect(world.dialogs).toHaveLength(2)
  })

  it('closes a window whose project is saved without asking', async () => {
    world = await launchReady()
    const [window] = world.windows
    window.on('closed', () => world!.calls.push('window closed'))
    await request('saveProject', join(world.userData, 'saved.ioc.json'))
    window.close()
    expect(world.calls).toContain('window closed')
    expect(world.dialogs).toEqual([])
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
    world.disposed = true
  })
})
