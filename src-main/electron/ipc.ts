/**
 * The main-process side of the renderer API over Electron IPC. One `ipcMain.handle` channel takes every
 * request; it answers only frames loaded from our own origin (Electron security checklist item 17), then
 * hands the untrusted name and arguments to the backend's `dispatchRequest`, which validates them with the
 * shared parsers. Streams are pushed to a window with `webContents.send` until that window is destroyed.
 *
 * Electron objects are passed in (only their types are imported), so tests drive this module directly.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { STREAM_NAMES } from '@shared/api/contract'
import { ApiError, toApiErrorInfo } from '@shared/api/errors'
import { DisposableStore, toDisposable } from '@shared/base/event'
import type { Disposable } from '@shared/base/event'
import { dispatchRequest, subscribeStream } from '../backend'
import type { BackendApi } from '../backend'
import { REQUEST_CHANNEL, streamChannel } from './ipc-channels'
import { isTrustedUrl } from './origins'
import type { IpcReply } from './ipc-channels'

export interface RequestHandlerOptions {
  /** Origins whose frames may call the API: app://ioc, plus the dev server's in development. */
  readonly trustedOrigins: readonly string[]
  /** Told about each refused sender (it goes to the app log). */
  readonly onRefused?: (frameUrl: string) => void
}

/** Registers the request channel. Dispose to remove the handler. */
export function handleRequests(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  backend: BackendApi,
  options: RequestHandlerOptions,
): Disposable {
  ipcMain.handle(REQUEST_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, args: unknown) => {
    const frameUrl = event.senderFrame?.url ?? ''
    if (!isTrustedUrl(frameUrl, options.trustedOrigins)) {
      options.onRefused?.(frameUrl)
      return reply(new ApiError('failed', 'Request refused: the page is not IOC Studio'))
    }
    try {
      return { ok: true, result: await dispatchRequest(backend, name, args) } satisfies IpcReply
    } catch (error) {
      return reply(error)
    }
  })
  return toDisposable(() => ipcMain.removeHandler(REQUEST_CHANNEL))
}

function reply(error: unknown): IpcReply {
  return { ok: false, error: toApiErrorInfo(error) }
}

/** Pushes every stream to one window's page; stops by itself when the page is destroyed. */
export function forwardStreams(
  webContents: Pick<WebContents, 'send' | 'isDestroyed' | 'once'>,
  backend: BackendApi,
): Disposable {
  const subscriptions = new DisposableStore()
  for (const stream of STREAM_NAMES) {
    const channel = streamChannel(stream)
    subscriptions.add(
      subscribeStream(backend, stream, (payload) => {
        if (!webContents.isDestroyed()) webContents.send(channel, payload)
      }),
    )
  }
  webContents.once('destroyed', () => subscriptions.dispose())
  return subscriptions
}
