/**
 * The project document being edited, with its undo history. The renderer is where edits happen; the backend
 * keeps a copy (sent shortly after each edit, and flushed before Save, Start, Apply and Export) because it
 * saves, exports and runs it.
 *
 * "Dirty" is identity: the document differs from the one last opened or saved. Edits never change a document
 * in place and undo brings back the very object that was saved, so undoing to the saved state is clean.
 */
import { create } from 'zustand'
import type { DocumentIssue, OpenProject, ProjectFileState } from '@shared/api/contract'
import type { Project } from '@shared/model/project'
import { getPlatform } from '../platform/api'
import { showNotice } from './app'
import { DocumentSync } from './document-sync'
import { clearHookErrors } from './hook-errors'
import { commit, redo, redoLabel, startHistory, undo, undoLabel } from './history'
import type { History } from './history'

interface ProjectStore {
  /** null until the backend sent the first document. */
  readonly history: History<Project> | null
  readonly documentId: number
  readonly path: string | null
  /** The document as last opened or saved; null when it exists on no disk (an import). */
  readonly saved: Project | null
  /** What loading noticed without refusing the file. */
  readonly warnings: readonly DocumentIssue[]
}

export const useProjectStore = create<ProjectStore>()(() => ({
  history: null,
  documentId: 0,
  path: null,
  saved: null,
  warnings: [],
}))

const sync = new DocumentSync<Project>(
  (project) => getPlatform().api.updateProject(project),
  250,
  (error) =>
    showNotice(`The backend did not take the last edit: ${error instanceof Error ? error.message : error}`),
)

/** The document being edited (stable identity between edits: safe as a selector result). */
export function useProject(): Project | null {
  return useProjectStore((s) => s.history?.present ?? null)
}

export function useDirty(): boolean {
  return useProjectStore((s) => s.history !== null && s.history.present !== s.saved)
}

export function currentProject(): Project | null {
  return useProjectStore.getState().history?.present ?? null
}

/** A document the backend opened (or created, or imported) replaces the one being edited. */
export function loadProject(open: OpenProject): void {
  // Errors the running IOC raised point into the document they ran from.
  if (open.documentId !== useProjectStore.getState().documentId) clearHookErrors()
  sync.reset(open.project)
  useProjectStore.setState({
    history: startHistory(open.project),
    documentId: open.documentId,
    path: open.path,
    saved: open.dirty ? null : open.project,
    warnings: open.warnings,
  })
}

export interface EditOptions {
  /** Merges consecutive edits with the same key (typing in one field) into one undo step. */
  readonly coalesceKey?: string
}

/** Applies an edit; `label` names it for Undo ("Undo Rename PV"). */
export function editProject(
  label: string,
  recipe: (project: Project) => Project,
  options: EditOptions = {},
): void {
  const history = useProjectStore.getState().history
  if (!history) return
  const next = commit(history, recipe(history.present), { label, coalesceKey: options.coalesceKey })
  if (next === history) return
  useProjectStore.setState({ history: next })
  sync.changed(next.present)
}

export function undoEdit(): void {
  step(undo)
}

export function redoEdit(): void {
  step(redo)
}

function step(move: (history: History<Project>) => History<Project>): void {
  const history = useProjectStore.getState().history
  if (!history) return
  const next = move(history)
  if (next === history) return
  useProjectStore.setState({ history: next })
  sync.changed(next.present)
}

export function useUndoLabel(): string | null {
  return useProjectStore((s) => (s.history ? undoLabel(s.history) : null))
}

export function useRedoLabel(): string | null {
  return useProjectStore((s) => (s.history ? redoLabel(s.history) : null))
}

/** Sends pending edits; resolves with the document the backend now holds. */
export async function flushProject(): Promise<Project | null> {
  await sync.flush()
  return sync.acknowledged ?? null
}

/** The backend wrote `project` (the version it held) to the file in `state`. */
export function markSaved(project: Project, state: ProjectFileState): void {
  useProjectStore.setState({ saved: project, path: state.path })
}

/**
 * The backend's view of the file changed. A different documentId means another document replaced ours
 * (Open Recent from the host's menu, or a document opened before this window connected): load it.
 */
export async function followProjectFile(state: ProjectFileState): Promise<void> {
  const ours = useProjectStore.getState()
  if (state.documentId === ours.documentId) {
    if (state.path !== ours.path) useProjectStore.setState({ path: state.path })
    return
  }
  loadProject(await getPlatform().api.getProject())
}

/**
 * After (re)connecting: take the backend's document unless it is still ours, then push our edits. A backend
 * that restarted meanwhile holds only its first blank document: then ours (with its edits) goes back to it.
 */
export async function reconcileProject(): Promise<void> {
  const open = await getPlatform().api.getProject()
  const ours = useProjectStore.getState()
  const restarted = open.documentId === 1 && open.path === null && !open.dirty && ours.documentId > 1
  if (ours.history && (open.documentId === ours.documentId || restarted)) {
    if (restarted) useProjectStore.setState({ documentId: open.documentId, path: null, saved: null })
    sync.invalidate()
    sync.changed(ours.history.present)
    await sync.flush()
    return
  }
  loadProject(open)
}
