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
 *
 * Projects: the Backend holds the open project and runs it through a ProjectSession (Pyodide + our CA
 * server); `caConfig`/`env` pin its ports and interfaces. What a desktop host adds:
 *
 *   const recent = new RecentFiles(join(app.getPath('userData'), 'recent-files.json'))
 *   const backend = new Backend({ host: 'electron', version, versions,
 *     recentProjects: recent,                                   // Open Recent, shared with the menu
 *     examplesDir: join(process.resourcesPath, 'examples'),     // packaged app (default: resources/examples)
 *     fileDialogs: { show: (request) => showNativeDialog(window, FILE_DIALOGS[request.purpose], request.defaultPath) },
 *   })
 *   backend.onDidUseProjectFile(({ path }) => app.addRecentDocument(path))
 *   menu Open Recent: backend.requestOpenFile(path)   // the renderer asks about unsaved changes first
 *   window close: if (backend.hasUnsavedChanges) ask before closing
 */
export { Backend } from './backend'
export type { BackendOptions, ProjectFileEvent } from './backend'
export { FILE_DIALOGS } from './file-dialogs'
export type { FileDialogSpec, HostFileDialogs } from './file-dialogs'
export type { RecentProjectList } from './recent-projects'
export { caServerLauncher } from './ca-launcher'
export type { CaLauncherOptions } from './ca-launcher'
export { dispatchRequest, subscribeStream } from './dispatch'
export type { BackendApi } from './dispatch'
export { STOPPED_STATUS } from './server-controller'
export type { CaServerLauncher, RunningCaServer } from './server-controller'
