/**
 * The file-system side of projects: reading and writing text files with messages a user understands,
 * atomic writes (a crash mid-save never leaves half a project), and folder listings for the in-app file
 * dialog, which the browser host needs because a web page cannot open the machine's own dialogs.
 */
import { randomBytes } from 'node:crypto'
import { open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import type { DirectoryEntry, DirectoryListing } from '@shared/api/contract'
import { MAX_TEXT_FILE_BYTES } from '@shared/api/files'

/** Most entries one listing carries; a folder with more is cut off (and says so). */
export const MAX_DIRECTORY_ENTRIES = 2000

/** Turns Node's error codes into sentences that name the file. */
export function describeFileError(error: unknown, path: string): Error {
  return new Error(fileErrorMessage(error, path), { cause: error })
}

function fileErrorMessage(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'ENOENT':
      return `${path} does not exist`
    case 'EACCES':
    case 'EPERM':
      return `No permission to access ${path}`
    case 'EISDIR':
      return `${path} is a folder, not a file`
    case 'ENOTDIR':
      return `${path} is not a folder`
    case 'ENOSPC':
      return `No space left on the disk for ${path}`
    case 'EROFS':
      return `${path} is on a read-only file system`
    default:
      return `${path}: ${error instanceof Error ? error.message : String(error)}`
  }
}

/** Reads a UTF-8 text file of at most MAX_TEXT_FILE_BYTES; null when it does not exist and `missingOk`. */
export async function readTextFile(path: string, missingOk: true): Promise<string | null>
export async function readTextFile(path: string, missingOk?: false): Promise<string>
export async function readTextFile(path: string, missingOk = false): Promise<string | null> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (missingOk && (error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw describeFileError(error, path)
  }
  try {
    const info = await handle.stat()
    if (info.isDirectory()) throw describeFileError(Object.assign(new Error(), { code: 'EISDIR' }), path)
    if (info.size > MAX_TEXT_FILE_BYTES) {
      throw new Error(`${path} is ${info.size} bytes; a project or script is at most ${MAX_TEXT_FILE_BYTES}`)
    }
    return await handle.readFile('utf8')
  } catch (error) {
    throw error instanceof Error && error.message.includes(path) ? error : describeFileError(error, path)
  } finally {
    await handle.close()
  }
}

/**
 * Writes through a temporary file in the same folder and renames it over the target, so readers (and a
 * crash) see the old file or the new one, never a torn one.
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' })
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`Cannot write ${path}: the folder ${dirname(path)} does not exist`, { cause: error })
    }
    throw describeFileError(error, path)
  }
}

/** One folder: sub-folders first, then files, by name; dot-files left out as file managers do. */
export async function listDirectory(path: string): Promise<DirectoryListing> {
  const folder = resolve(path)
  let names: string[]
  try {
    const info = await stat(folder)
    if (!info.isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' })
    names = (await readdir(folder)).filter((name) => !name.startsWith('.'))
  } catch (error) {
    throw describeFileError(error, folder)
  }
  const truncated = names.length > MAX_DIRECTORY_ENTRIES
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
  names.sort(collator.compare)
  const entries = (
    await Promise.all(names.slice(0, MAX_DIRECTORY_ENTRIES).map((name) => describeEntry(folder, name)))
  ).filter((entry): entry is DirectoryEntry => entry !== null)
  entries.sort((a, b) =>
    a.kind === b.kind ? collator.compare(a.name, b.name) : a.kind === 'directory' ? -1 : 1,
  )
  const parent = dirname(folder)
  return { path: folder, parent: parent === folder ? null : parent, home: homedir(), entries, truncated }
}

/** Follows links, so a link to a folder is browsable; broken links and unreadable entries are skipped. */
async function describeEntry(folder: string, name: string): Promise<DirectoryEntry | null> {
  try {
    const info = await stat(join(folder, name))
    if (info.isDirectory()) return { name, kind: 'directory', size: null, modified: info.mtimeMs }
    if (info.isFile()) return { name, kind: 'file', size: info.size, modified: info.mtimeMs }
    return null
  } catch {
    return null
  }
}
