/**
 * Test support: Electron's IPC pair in one process, so the real preload talks to the real `ipc.ts` and
 * Backend without an Electron binary. Like Electron it structured-clones everything that crosses, allows one
 * handler per channel, rejects an invoke with no handler, and hands `send` listeners an event object first.
 */
import type { IpcMain, IpcMainInvokeEvent, IpcRenderer, IpcRendererEvent, WebContents } from 'electron'

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown
type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void

export class InMemoryIpc {
  /** The URL of the frame that sends the next request: what `event.senderFrame.url` reports. */
  frameUrl: string | null = 'app://ioc/index.html'
  /** Everything the main process sent to the page, in order. */
  readonly sent: Array<{ channel: string; args: unknown[] }> = []

  private readonly handlers = new Map<string, Handler>()
  private readonly listeners = new Map<string, Set<Listener>>()
  private readonly destroyListeners: Array<() => void> = []
  private destroyed = false

  readonly ipcMain = {
    handle: (channel: string, handler: Handler) => {
      if (this.handlers.has(channel))
        throw new Error(`Attempted to register a second handler for '${channel}'`)
      this.handlers.set(channel, handler)
    },
    removeHandler: (channel: string) => {
      this.handlers.delete(channel)
    },
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>

  readonly webContents = {
    send: (channel: string, ...args: unknown[]) => {
      if (this.destroyed) throw new Error('Object has been destroyed')
      const cloned = structuredClone(args)
      this.sent.push({ channel, args: cloned })
      const event = { sender: this.ipcRenderer, senderId: 0 } as unknown as IpcRendererEvent
      for (const listener of this.listeners.get(channel) ?? []) listener(event, ...cloned)
    },
    isDestroyed: () => this.destroyed,
    once: (name: string, listener: () => void) => {
      if (name === 'destroyed') this.destroyListeners.push(listener)
    },
  } as unknown as Pick<WebContents, 'send' | 'isDestroyed' | 'once'>

  readonly ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      const handler = this.handlers.get(channel)
      if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered`)
      const frame = this.frameUrl === null ? null : { url: this.frameUrl }
      const event = { senderFrame: frame, sender: this.webContents } as unknown as IpcMainInvokeEvent
      return structuredClone(await handler(event, ...structuredClone(args)))
    },
    on: (channel: string, listener: Listener) => {
      const set = this.listeners.get(channel) ?? new Set()
      set.add(listener)
      this.listeners.set(channel, set)
      return this.ipcRenderer
    },
    removeListener: (channel: string, listener: Listener) => {
      this.listeners.get(channel)?.delete(listener)
      return this.ipcRenderer
    },
  } as unknown as Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0
  }

  /** The window closes: its page's webContents is destroyed. */
  destroy(): void {
    this.destroyed = true
    for (const listener of this.destroyListeners.splice(0)) listener()
  }
}
