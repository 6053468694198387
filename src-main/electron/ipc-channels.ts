/**
 * The IPC wire between the preload and the main process, shared by both sides. Requests travel on one
 * `invoke` channel and always resolve with an `IpcReply` (never reject): Electron would prefix a rejection's
 * message with "Error invoking remote method…", and the envelope carries the error code as well.
 * Each stream has its own `send` channel, so the preload never filters.
 */
import type { StreamName } from '@shared/api/contract'
import type { ApiErrorInfo } from '@shared/api/errors'

export const REQUEST_CHANNEL = 'ioc:request'

export function streamChannel(stream: StreamName): string {
  return `ioc:stream:${stream}`
}

export type IpcReply =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: ApiErrorInfo }
