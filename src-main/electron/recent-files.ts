/**
 * The File > Open Recent list: most recent first, no duplicates, at most `RECENT_FILES_LIMIT`, kept in a JSON
 * file in userData so it survives restarts. Paths are compared as given; the OS dialogs hand us absolute ones.
 */
import { Emitter } from '@shared/base/event'
import type { Event } from '@shared/base/event'
import { readJsonFile, writeJsonFile } from './json-file'

export const RECENT_FILES_LIMIT = 10

/** The list after opening `path`: moved (or added) to the front, the oldest dropped past the limit. */
export function withRecentFile(list: readonly string[], path: string): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, RECENT_FILES_LIMIT)
}

export function parseRecentFiles(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  const paths = value.filter((p): p is string => typeof p === 'string' && p.length > 0)
  return [...new Set(paths)].slice(0, RECENT_FILES_LIMIT)
}

export class RecentFiles {
  private paths: readonly string[]
  private readonly didChange = new Emitter<readonly string[]>()
  readonly onDidChange: Event<readonly string[]> = this.didChange.event

  constructor(private readonly file: string) {
    this.paths = parseRecentFiles(readJsonFile(file))
  }

  get list(): readonly string[] {
    return this.paths
  }

  add(path: string): void {
    this.update(withRecentFile(this.paths, path))
  }

  /** For an entry that no longer opens (moved or deleted). */
  remove(path: string): void {
    if (this.paths.includes(path)) this.update(this.paths.filter((p) => p !== path))
  }

  clear(): void {
    if (this.paths.length > 0) this.update([])
  }

  dispose(): void {
    this.didChange.dispose()
  }

  private update(paths: readonly string[]): void {
    this.paths = paths
    writeJsonFile(this.file, paths)
    this.didChange.fire(paths)
  }
}
