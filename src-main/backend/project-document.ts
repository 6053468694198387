/**
 * The open project as the backend holds it: the document, the file it belongs to, and whether it has
 * changes that file lacks. "Dirty" compares the saved text with what saving now would write, so undoing back
 * to the saved state is clean again, and a document that was never saved (an imported script) stays dirty.
 */
import type { DocumentIssue, OpenProject, ProjectFileState } from '@shared/api/contract'
import { FORMAT_VERSION } from '@shared/model/project'
import type { Project } from '@shared/model/project'

/** What File > New starts from. */
export function blankProject(): Project {
  return {
    formatVersion: FORMAT_VERSION,
    server: { name: 'Untitled IOC', className: 'UntitledIoc', prefix: 'IOC:' },
    pvs: [],
  }
}

export interface LoadedDocument {
  readonly project: Project
  readonly path: string | null
  readonly warnings: readonly DocumentIssue[]
  /** False for a document that exists nowhere on disk yet (an import): it starts dirty. */
  readonly saved: boolean
}

export class ProjectDocument {
  private current: Project
  private file: string | null = null
  private savedText: string | null
  private issues: readonly DocumentIssue[] = []
  private id = 1
  private isDirty = false

  constructor(
    /** What a save writes (the stable JSON of the document). */
    private readonly serialize: (project: Project) => string,
    initial: Project = blankProject(),
  ) {
    this.current = initial
    this.savedText = serialize(initial)
  }

  get project(): Project {
    return this.current
  }

  get path(): string | null {
    return this.file
  }

  get dirty(): boolean {
    return this.isDirty
  }

  get fileState(): ProjectFileState {
    return { path: this.file, dirty: this.isDirty, documentId: this.id }
  }

  get open(): OpenProject {
    return { ...this.fileState, project: this.current, warnings: this.issues }
  }

  /** Another document takes the place of this one (New, Open, Import). */
  replace(loaded: LoadedDocument): void {
    this.id++
    this.current = loaded.project
    this.file = loaded.path
    this.issues = loaded.warnings
    this.savedText = loaded.saved ? this.serialize(loaded.project) : null
    this.isDirty = !loaded.saved
  }

  /** The editor changed the document; returns true when that changed the dirty state. */
  update(project: Project): boolean {
    this.current = project
    const dirty = this.savedText === null || this.serialize(project) !== this.savedText
    if (dirty === this.isDirty) return false
    this.isDirty = dirty
    return true
  }

  /** `text` (the serialized document) is now in the file at `path`. */
  saved(path: string, text: string): void {
    this.file = path
    this.savedText = text
    this.isDirty = this.serialize(this.current) !== text
  }
}
