/**
 * The Backend's `HostFileDialogs` over Electron's own dialogs: each purpose's title, button and filters come
 * from FILE_DIALOGS, so the desktop dialogs read the same as the in-app one a browser gets.
 */
import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron'
import type { FileDialogPurpose, FileDialogRequest } from '@shared/api/contract'
import { fileKind, PROJECT_EXTENSION, withExtension } from '@shared/api/files'
import { FILE_DIALOGS } from '../backend'
import type { FileDialogSpec, HostFileDialogs } from '../backend'

/** The part of Electron's `dialog` this needs. */
export type FileDialogs = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>

/** What both kinds of dialog take from the spec and the request. */
function commonOptions(spec: FileDialogSpec, defaultPath: string | undefined) {
  return {
    title: spec.title,
    buttonLabel: spec.buttonLabel,
    filters: spec.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
    ...(defaultPath === undefined ? {} : { defaultPath }),
  }
}

export function openDialogOptions(spec: FileDialogSpec, defaultPath?: string): OpenDialogOptions {
  return { ...commonOptions(spec, defaultPath), properties: ['openFile'] }
}

export function saveDialogOptions(spec: FileDialogSpec, defaultPath?: string): SaveDialogOptions {
  return { ...commonOptions(spec, defaultPath), properties: ['createDirectory', 'showOverwriteConfirmation'] }
}

/**
 * The file a save dialog's answer means. Native filters know one extension, so a project typed as "motor"
 * may come back as "motor" or "motor.json" depending on the platform: both mean motor.ioc.json.
 */
export function savedPath(purpose: FileDialogPurpose, path: string): string {
  if (purpose === 'save-project') {
    const bareJson = path.toLowerCase().endsWith('.json') && fileKind(path) !== 'project'
    return bareJson ? path.slice(0, -'.json'.length) + PROJECT_EXTENSION : withExtension(path, 'project')
  }
  if (purpose === 'export-script') return withExtension(path, 'script')
  return path
}

/** Dialogs are modal to `parent()` while the window exists. */
export function nativeFileDialogs(
  dialog: FileDialogs,
  parent: () => BrowserWindow | undefined,
): HostFileDialogs {
  return {
    async show(request: FileDialogRequest): Promise<string | null> {
      const spec = FILE_DIALOGS[request.purpose]
      const window = parent()
      if (spec.mode === 'open') {
        const options = openDialogOptions(spec, request.defaultPath)
        const { canceled, filePaths } = window
          ? await dialog.showOpenDialog(window, options)
          : await dialog.showOpenDialog(options)
        return canceled || filePaths.length === 0 ? null : filePaths[0]
      }
      const options = saveDialogOptions(spec, request.defaultPath)
      const { canceled, filePath } = window
        ? await dialog.showSaveDialog(window, options)
        : await dialog.showSaveDialog(options)
      return canceled || !filePath ? null : savedPath(request.purpose, filePath)
    },
  }
}
