/**
 * The one application window, with the renderer locked into its sandbox: context isolation, the Chromium
 * sandbox, no Node in the page or its workers, web security on (Electron security checklist items 2 to 4 and
 * 6). It opens where it was last closed (window-state.ts) and remembers that place when it closes.
 */
import { BrowserWindow } from 'electron'
import { readJsonFile, writeJsonFile } from './json-file'
import { MIN_SIZE, parseWindowState, placeWindow } from './window-state'
import type { Rectangle, WindowState } from './window-state'

export interface MainWindowOptions {
  /** app://ioc/index.html, or the dev server's URL under `npm run dev`. */
  readonly url: string
  /** Absolute path of the built preload (out/preload/preload.cjs). */
  readonly preload: string
  /** Where the window's size and position are kept (userData/window-state.json). */
  readonly stateFile: string
  /** Usable areas of the connected displays, primary first. */
  readonly workAreas: readonly Rectangle[]
  readonly backgroundColor: string
  /** Window icon (Linux shows it; macOS and Windows take the one in the app bundle). */
  readonly icon?: string
  readonly onError: (message: string) => void
}

export function openMainWindow(options: MainWindowOptions): BrowserWindow {
  const placed = placeWindow(parseWindowState(readJsonFile(options.stateFile)), options.workAreas)
  const window = new BrowserWindow({
    ...placed.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'IOC Studio',
    icon: options.icon,
    backgroundColor: options.backgroundColor,
    show: false, // shown on ready-to-show: no white flash while the bundle loads
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => {
    if (placed.maximized) window.maximize()
    window.show()
  })
  window.on('close', () => {
    const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() }
    try {
      writeJsonFile(options.stateFile, state)
    } catch (error) {
      options.onError(`Could not remember the window position: ${(error as Error).message}`)
    }
  })
  window
    .loadURL(options.url)
    .catch((error: Error) => options.onError(`Could not load ${options.url}: ${error.message}`))
  return window
}
