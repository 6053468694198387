/**
 * File > New, Open, Save, Save As, Import, Export and dropped files. Each command that replaces the open
 * document first asks what to do with unsaved changes; every failure ends in a message that says why, and
 * the document being edited is never lost to one.
 */
import type { OpenProject } from '@shared/api/contract'
import { fileKind, withExtension } from '@shared/api/files'
import { getPlatform } from '../../platform/api'
import { pickFile } from '../../platform/file-picker'
import { showNotice } from '../../state/app'
import { askUnsaved, chooseNewProject, showExportDialog, showMessage } from '../../state/dialogs'
import { flushProject, loadProject, markSaved, useProjectStore } from '../../state/project'
import { pruneTabs } from '../../state/workbench'

const api = () => getPlatform().api

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isDirty(): boolean {
  const { history, saved } = useProjectStore.getState()
  return history !== null && history.present !== saved
}

/** True when the open document may be replaced: nothing unsaved, saved now, or the user lets it go. */
export async function confirmDiscard(action: string): Promise<boolean> {
  if (!isDirty()) return true
  const answer = await askUnsaved(action)
  if (answer === 'cancel') return false
  if (answer === 'discard') return true
  return saveProject()
}

function opened(open: OpenProject, what: string): void {
  loadProject(open)
  pruneTabs(open.project)
  const review = open.warnings.length
  showNotice(review > 0 ? `${what}: ${review} thing${review === 1 ? '' : 's'} to review in Problems` : what)
}

export async function newProject(): Promise<void> {
  if (!(await confirmDiscard('create a new project'))) return
  try {
    const choice = await chooseNewProject(await api().listExamples())
    if (choice === undefined) return
    opened(await api().newProject(choice), choice === null ? 'New project' : 'New project from the example')
  } catch (error) {
    await showMessage('The project could not be created', errorText(error))
  }
}

/** Opens a project file or imports a script; asks for the file when none is given (Open, Open Recent). */
export async function openFile(path?: string): Promise<void> {
  if (!(await confirmDiscard('open another project'))) return
  const chosen = path ?? (await pickFile({ purpose: 'open' }))
  if (!chosen) return
  try {
    const open = await api().openProject(chosen)
    opened(open, fileKind(chosen) === 'script' ? `Imported ${chosen}` : `Opened ${chosen}`)
  } catch (error) {
    await showMessage(`${chosen} could not be opened`, errorText(error))
  }
}

export async function importScript(): Promise<void> {
  if (!(await confirmDiscard('import a script'))) return
  const chosen = await pickFile({ purpose: 'import-script' })
  if (!chosen) return
  try {
    opened(await api().openProject(chosen), `Imported ${chosen}`)
  } catch (error) {
    await showMessage(`${chosen} could not be imported`, errorText(error))
  }
}

/** Saves to the project's file, or asks for one (Save As) while it is untitled. Resolves whether it saved. */
export async function saveProject(): Promise<boolean> {
  if (useProjectStore.getState().path === null) return saveProjectAs()
  return saveTo(null)
}

export async function saveProjectAs(): Promise<boolean> {
  const current = useProjectStore.getState().path
  const chosen = await pickFile({ purpose: 'save-project', ...(current ? { defaultPath: current } : {}) })
  if (!chosen) return false
  return saveTo(withExtension(chosen, 'project'))
}

async function saveTo(path: string | null): Promise<boolean> {
  try {
    const project = await flushProject()
    const state = await api().saveProject(path)
    if (project) markSaved(project, state)
    showNotice(`Saved ${state.path}`)
    return true
  } catch (error) {
    await showMessage('The project was not saved', errorText(error))
    return false
  }
}

export async function exportScript(): Promise<void> {
  try {
    await flushProject()
  } catch (error) {
    await showMessage('Export is not possible yet', errorText(error))
    return
  }
  await showExportDialog()
}

/** A file dropped on the window: a project opens, a script is imported; anything else is explained. */
export async function openDroppedFile(file: File): Promise<void> {
  const kind = fileKind(file.name)
  if (kind === null) {
    await showMessage(
      `${file.name} was not opened`,
      'Drop a project (.ioc.json) to open it, or a caproto script (.py) to import it.',
    )
    return
  }
  if (!(await confirmDiscard(kind === 'project' ? 'open the dropped project' : 'import the dropped script')))
    return
  try {
    const open = await api().openProjectText(file.name, await file.text())
    opened(open, kind === 'script' ? `Imported ${file.name}` : `Opened ${file.name}`)
  } catch (error) {
    await showMessage(`${file.name} could not be opened`, errorText(error))
  }
}
