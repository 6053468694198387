/**
 * Native file dialogs, for hosts that have them (the Electron shell). A host passes a `HostFileDialogs` to
 * the Backend; the renderer then asks the backend instead of drawing its own dialog. `fileDialogSpec` says
 * what each purpose means, so every host's dialogs title and filter the same way.
 */
import type { FileDialogPurpose, FileDialogRequest } from '@shared/api/contract'
import { PROJECT_EXTENSION, SCRIPT_EXTENSION } from '@shared/api/files'

export interface HostFileDialogs {
  /** Shows the dialog; resolves the chosen absolute path, or null when cancelled. */
  show(request: FileDialogRequest): Promise<string | null>
}

export interface FileDialogSpec {
  readonly mode: 'open' | 'save'
  readonly title: string
  readonly buttonLabel: string
  /** Electron's `filters` shape: extensions without the dot. */
  readonly filters: readonly { readonly name: string; readonly extensions: readonly string[] }[]
}

// Native filters match one extension, so projects (`*.ioc.json`) are offered as json files.
const projects = { name: `IOC Studio projects (*${PROJECT_EXTENSION})`, extensions: ['json'] }
const scripts = { name: 'caproto scripts', extensions: [SCRIPT_EXTENSION.slice(1)] }

export const FILE_DIALOGS: Readonly<Record<FileDialogPurpose, FileDialogSpec>> = {
  open: {
    mode: 'open',
    title: 'Open a project or a caproto script',
    buttonLabel: 'Open',
    filters: [
      { name: 'Projects and scripts', extensions: [...projects.extensions, ...scripts.extensions] },
      projects,
      scripts,
    ],
  },
  'save-project': { mode: 'save', title: 'Save the project', buttonLabel: 'Save', filters: [projects] },
  'import-script': {
    mode: 'open',
    title: 'Import a caproto script',
    buttonLabel: 'Import',
    filters: [scripts],
  },
  'export-script': {
    mode: 'save',
    title: 'Export as a caproto script',
    buttonLabel: 'Export',
    filters: [scripts],
  },
}
