/**
 * The projects opened or saved lately, for Open Recent. A host that keeps its own persistent list (the
 * Electron shell's RecentFiles in userData) passes it in; the shape fits that class. Without one, the list
 * lives as long as the backend (a browser session of `ioc-studio serve`).
 */
import { Emitter } from '@shared/base/event'
import type { Event } from '@shared/base/event'

export interface RecentProjectList {
  readonly list: readonly string[]
  add(path: string): void
  remove(path: string): void
  /** Fires when the list changed by any means (the host's menu may clear it). */
  readonly onDidChange: Event<readonly string[]>
}

export const RECENT_PROJECTS_LIMIT = 10

export class MemoryRecentProjects implements RecentProjectList {
  private paths: readonly string[] = []
  private readonly didChange = new Emitter<readonly string[]>()
  readonly onDidChange = this.didChange.event

  get list(): readonly string[] {
    return this.paths
  }

  add(path: string): void {
    this.set([path, ...this.paths.filter((p) => p !== path)].slice(0, RECENT_PROJECTS_LIMIT))
  }

  remove(path: string): void {
    if (this.paths.includes(path)) this.set(this.paths.filter((p) => p !== path))
  }

  private set(paths: readonly string[]): void {
    this.paths = paths
    this.didChange.fire(paths)
  }
}
