/**
 * The backend layer: one `Backend` per app, whatever the host.
 *
 * How a host attaches (the Electron IPC adapter and the browser bridge both do exactly this):
 *
 *   const backend = new Backend({ host: 'electron', version, versions: { electron, chrome } })
 *   // (the CA server defaults to our engine configured from the EPICS_CA* environment; tests pass
 *   //  launchCaServer: caServerLauncher({ config, env }) to pin ports and interfaces)
 *   // requests: one channel; the name and args are untrusted input
 *   ipcMain.handle('ioc:request', (event, name, args) => { checkSender(event); return dispatchRequest(backend, name, args) })
 *   // streams: subscribe per renderer, dispose when it goes away
 *   const sub = subscribeStream(backend, 'onDidLog', (payload) => webContents.send('ioc:event', 'onDidLog', payload))
 *   // host chrome -> renderer
 *   menuItem.click = () => backend.requestCommand('server.start')
 *   // on quit
 *   await backend.dispose()
 *
 * `dispatchRequest` rejects with an `ApiError` (src-shared/api/errors) for an unknown name or bad arguments;
 * send `toApiErrorInfo(error)` across the transport and rebuild it with `fromApiErrorInfo` on the other side.
 * The preload builds `window.ioc` from REQUEST_NAMES and STREAM_NAMES (src-shared/api/contract): one function
 * per request, one `onDidX(listener) => unsubscribe` per stream, nothing else.
 */
export { Backend } from './backend'
export type { BackendOptions } from './backend'
export { caServerLauncher } from './ca-launcher'
export type { CaLauncherOptions } from './ca-launcher'
export { dispatchRequest, subscribeStream } from './dispatch'
export type { BackendApi } from './dispatch'
export { STOPPED_STATUS } from './server-controller'
export type { CaServerLauncher, RunningCaServer } from './server-controller'
