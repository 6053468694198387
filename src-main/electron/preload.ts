/**
 * The preload of the main window: puts the backend API on `window.ioc` and nothing else. It runs sandboxed
 * (plain CommonJS, only `electron` may be required) and is bundled to out/preload/preload.cjs.
 *
 * `window.ioc` is exactly `IocApi`: one function per request name, one `onDidX(listener) => unsubscribe` per
 * stream, built from the contract's name lists. No generic invoke, and listeners receive only the payload,
 * never the `IpcRendererEvent` (its `sender` would hand the page an IPC handle).
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { REQUEST_NAMES, STREAM_NAMES, WINDOW_API_KEY } from '@shared/api/contract'
import type { IocApi, IocStreams, RequestName, StreamName, Unsubscribe } from '@shared/api/contract'
import { fromApiErrorInfo } from '@shared/api/errors'
import { REQUEST_CHANNEL, streamChannel } from './ipc-channels'
import type { IpcReply } from './ipc-channels'

async function request(name: RequestName, args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(REQUEST_CHANNEL, name, args)) as IpcReply
  if (reply.ok) return reply.result
  throw fromApiErrorInfo(reply.error)
}

function subscribe<S extends StreamName>(stream: S, listener: (payload: IocStreams[S]) => void): Unsubscribe {
  if (typeof listener !== 'function') throw new TypeError(`${stream}: the listener must be a function`)
  const channel = streamChannel(stream)
  const forward = (_event: IpcRendererEvent, payload: IocStreams[S]) => listener(payload)
  ipcRenderer.on(channel, forward)
  return () => {
    ipcRenderer.removeListener(channel, forward)
  }
}

const api = Object.fromEntries([
  ...REQUEST_NAMES.map((name) => [name, (...args: unknown[]) => request(name, args)]),
  ...STREAM_NAMES.map((stream) => [stream, (listener: never) => subscribe(stream, listener)]),
]) as IocApi

contextBridge.exposeInMainWorld(WINDOW_API_KEY, api)
