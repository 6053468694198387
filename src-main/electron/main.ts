/**
 * The desktop app's entry (built to out/main/index.js). It wires the pieces of this folder together and
 * owns the app's lifecycle: one instance, one window, the `app://` origin, the menu, the IPC adapter and the
 * Backend, which runs projects through its ProjectSession (Pyodide + our CA server). What the desktop adds to
 * the Backend: the persistent Open Recent list, the examples shipped beside app.asar, native file dialogs and
 * the unsaved-changes question when the window closes. Everything here is plumbing; the behaviour lives in the
 * modules it calls, which are tested.
 */
import { join } from 'node:path'
import { app, dialog, ipcMain, Menu, nativeTheme, protocol, screen, session } from 'electron'
import type { BrowserWindow } from 'electron'
import type { ServerState } from '@shared/api/contract'
import { Backend } from '../backend'
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppRequestHandler,
} from './app-protocol'
import { buildMenuTemplate } from './application-menu'
import { forwardStreams, handleRequests } from './ipc'
import { openMainWindow } from './main-window'
import { nativeFileDialogs } from './native-file-dialogs'
import { RecentFiles } from './recent-files'
import { guardUnsavedChanges } from './unsaved-changes-guard'
import { lockDownWebContents, restrictPermissions } from './web-security'

// electron-vite's dev server (`npm run dev`) serves the renderer with hot reload; a packaged app never uses it.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const trustedOrigins = devServerUrl ? [APP_ORIGIN, devServerUrl] : [APP_ORIGIN]
const QUIT_TIMEOUT_MS = 3000

// Privileged schemes must be registered before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])

if (app.requestSingleInstanceLock()) {
  start()
} else {
  // Another instance is running: it hears 'second-instance' and comes to the front.
  app.quit()
}

function start(): void {
  let window: BrowserWindow | undefined
  // Shared by the Backend (it adds every project opened or saved) and the menu (it lists and clears them).
  const recent = new RecentFiles(join(app.getPath('userData'), 'recent-files.json'))
  const backend = new Backend({
    host: 'electron',
    version: app.getVersion(),
    versions: { electron: process.versions.electron, chrome: process.versions.chrome },
    recentProjects: recent,
    examplesDir: resourcePath('examples'),
    fileDialogs: nativeFileDialogs(dialog, () => window),
  })
  const warn = (message: string) => backend.log('warn', 'shell', message)
  // The OS's own recent list (jump list, dock menu); RecentFiles already has it from the Backend.
  backend.onDidUseProjectFile(({ path }) => app.addRecentDocument(path))
  let projectPath: string | null = null
  backend.onDidChangeProjectFile((file) => (projectPath = file.path))

  app.on('web-contents-created', (_event, contents) =>
    lockDownWebContents(contents, (action, url) => warn(`Blocked a ${action} to ${url || 'an empty URL'}`)),
  )
  app.on('second-instance', () => {
    if (!window) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  // One window is the whole app, on macOS too: closing it quits.
  app.on('window-all-closed', () => app.quit())
  let disposed = false
  app.on('will-quit', (event) => {
    if (disposed) return
    event.preventDefault()
    disposed = true
    // A CA server that will not close must not keep the app from quitting.
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS).unref())
    void Promise.race([backend.dispose(), deadline]).finally(() => app.quit())
  })

  app
    .whenReady()
    .then(() => {
      restrictPermissions(session.defaultSession, trustedOrigins)
      protocol.handle(APP_SCHEME, createAppRequestHandler(join(import.meta.dirname, '../renderer')))
      handleRequests(ipcMain, backend, {
        trustedOrigins,
        onRefused: (url) => warn(`Refused an API request from ${url || 'a frame that is gone'}`),
      })

      let serverState: ServerState = 'stopped'
      const updateMenu = () => {
        const template = buildMenuTemplate(
          {
            platform: process.platform,
            appName: app.name,
            recentFiles: recent.list,
            serverState,
            developer: !app.isPackaged,
          },
          {
            command: (command) => backend.requestCommand(command),
            // The renderer opens it, after asking about unsaved changes.
            openRecent: (path) => backend.requestOpenFile(path),
            clearRecent: () => recent.clear(),
          },
        )
        Menu.setApplicationMenu(Menu.buildFromTemplate(template))
      }
      recent.onDidChange(updateMenu)
      backend.onDidChangeServerStatus((status) => {
        if (status.state === serverState) return
        serverState = status.state
        updateMenu()
      })
      updateMenu()

      window = openMainWindow({
        url: devServerUrl ?? APP_ENTRY_URL,
        preload: join(import.meta.dirname, '../preload/preload.cjs'),
        stateFile: join(app.getPath('userData'), 'window-state.json'),
        workAreas: displayWorkAreas(),
        backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
        icon: process.platform === 'linux' ? resourcePath('icon.png') : undefined,
        onError: (message) => backend.log('error', 'shell', message),
      })
      forwardStreams(window.webContents, backend)
      guardUnsavedChanges(window, backend, dialog, () => projectPath)
      window.on('closed', () => (window = undefined))
    })
    .catch((error: unknown) => {
      console.error('IOC Studio could not start:', error)
      app.exit(1)
    })
}

/** Files under resources/: beside app.asar once packaged (extraResources), in the repository otherwise. */
function resourcePath(name: string): string {
  return app.isPackaged ? join(process.resourcesPath, name) : join(app.getAppPath(), 'resources', name)
}

function displayWorkAreas() {
  const primary = screen.getPrimaryDisplay()
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea)
}
