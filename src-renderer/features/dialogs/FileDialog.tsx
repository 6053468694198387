import { useEffect, useState } from 'react'
import type { DirectoryListing, FileDialogRequest } from '@shared/api/contract'
import { fileKind, withExtension } from '@shared/api/files'
import type { FileKind } from '@shared/api/files'
import { getPlatform } from '../../platform/api'
import { ArrowUpIcon, FileIcon, FolderIcon, HomeIcon } from '../shell/icons'
import { Modal } from './Modal'

const PURPOSE: Readonly<
  Record<
    FileDialogRequest['purpose'],
    { title: string; button: string; save: boolean; kinds: readonly FileKind[] }
  >
> = {
  open: {
    title: 'Open a project or a caproto script',
    button: 'Open',
    save: false,
    kinds: ['project', 'script'],
  },
  'save-project': { title: 'Save the project', button: 'Save', save: true, kinds: ['project'] },
  'import-script': { title: 'Import a caproto script', button: 'Import', save: false, kinds: ['script'] },
  'export-script': { title: 'Export as a caproto script', button: 'Export', save: true, kinds: ['script'] },
}

/** Joins a folder and a name with the folder's own separator (the backend may run on Windows). */
function join(folder: string, name: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/'
  return folder.endsWith(separator) ? folder + name : folder + separator + name
}

function splitPath(path: string): { folder: string; name: string } {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return at < 0
    ? { folder: '', name: path }
    : { folder: path.slice(0, at) || path.slice(0, 1), name: path.slice(at + 1) }
}

const isAbsolute = (path: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path)

/**
 * The in-app file dialog, for hosts without native ones (a browser): it browses the backend's folders, so
 * the paths are the machine's where the IOC runs, not the browser's.
 */
export function FileDialog({
  request,
  onDone,
}: {
  request: FileDialogRequest
  onDone: (path: string | null) => void
}) {
  const purpose = PURPOSE[request.purpose]
  const start = request.defaultPath ? splitPath(request.defaultPath) : null
  const [listing, setListing] = useState<DirectoryListing | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [name, setName] = useState(purpose.save ? (start?.name ?? '') : '')
  const [location, setLocation] = useState('')
  const [confirmReplace, setConfirmReplace] = useState<string | null>(null)

  const browse = (folder: string | null) => {
    getPlatform()
      .api.listDirectory(folder)
      .then((result) => {
        setError(null)
        setListing(result)
        setLocation(result.path)
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
  }
  useEffect(() => browse(start?.folder || null), []) // eslint-disable-line react-hooks/exhaustive-deps

  const shown = listing?.entries.filter(
    (entry) => entry.kind === 'directory' || purpose.kinds.includes(fileKind(entry.name) as FileKind),
  )

  const choose = (fileName: string) => {
    if (!listing) return
    const target = isAbsolute(fileName) ? fileName : join(listing.path, fileName)
    if (!purpose.save) {
      onDone(target)
      return
    }
    const finalPath = withExtension(target, purpose.kinds[0])
    const exists = listing.entries.some((e) => e.kind === 'file' && join(listing.path, e.name) === finalPath)
    if (exists && confirmReplace !== finalPath) {
      setConfirmReplace(finalPath)
      return
    }
    onDone(finalPath)
  }

  const primaryEnabled = purpose.save ? name.trim() !== '' : name !== ''
  return (
    <Modal
      title={purpose.title}
      wide
      testId="file-dialog"
      onCancel={() => onDone(null)}
      footer={
        <>
          {confirmReplace && (
            <span className="modal-warning" role="alert">
              {splitPath(confirmReplace).name} exists: {purpose.button} again to replace it.
            </span>
          )}
          <button className="button" onClick={() => onDone(null)}>
            Cancel
          </button>
          <button className="button primary" disabled={!primaryEnabled} onClick={() => choose(name.trim())}>
            {confirmReplace ? 'Replace' : purpose.button}
          </button>
        </>
      }
    >
      <div className="file-nav">
        <button
          className="icon-button"
          title="Up one folder"
          aria-label="Up one folder"
          disabled={!listing?.parent}
          onClick={() => listing?.parent && browse(listing.parent)}
        >
          <ArrowUpIcon />
        </button>
        <button
          className="icon-button"
          title="Home folder"
          aria-label="Home folder"
          onClick={() => listing && browse(listing.home)}
        >
          <HomeIcon />
        </button>
        <input
          aria-label="Folder"
          spellCheck={false}
          value={location}
          onChange={(e) => setLocation(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              browse(location)
            }
          }}
        />
      </div>
      {error && (
        <div className="field-problem" role="alert">
          {error}
        </div>
      )}
      <ul className="file-list" role="listbox" aria-label="Files">
        {shown?.map((entry) => (
          <li
            key={entry.name}
            role="option"
            aria-selected={entry.kind === 'file' && entry.name === name}
            tabIndex={0}
            className="file-entry"
            data-kind={entry.kind}
            onClick={() => {
              setConfirmReplace(null)
              if (entry.kind === 'file') setName(entry.name)
            }}
            onDoubleClick={() =>
              entry.kind === 'directory' ? browse(join(listing?.path ?? '', entry.name)) : choose(entry.name)
            }
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return
              if (entry.kind === 'directory') browse(join(listing?.path ?? '', entry.name))
              else choose(entry.name)
            }}
          >
            {entry.kind === 'directory' ? <FolderIcon /> : <FileIcon />}
            <span className="file-name">{entry.name}</span>
            {entry.size !== null && <span className="file-size">{formatSize(entry.size)}</span>}
          </li>
        ))}
        {shown?.length === 0 && (
          <li className="file-empty">
            No {purpose.kinds.map((k) => (k === 'project' ? 'projects' : 'scripts')).join(' or ')} here
          </li>
        )}
        {listing?.truncated && <li className="file-empty">This folder has more entries than are shown</li>}
      </ul>
      <label className="file-name-field">
        {purpose.save ? 'File name' : 'File'}
        <input
          aria-label="File name"
          spellCheck={false}
          value={name}
          placeholder={
            purpose.save ? (purpose.kinds[0] === 'project' ? 'name.ioc.json' : 'server.py') : 'or type a path'
          }
          onChange={(e) => {
            setConfirmReplace(null)
            setName(e.target.value)
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && name.trim() !== '') {
              e.preventDefault()
              choose(name.trim())
            }
          }}
        />
      </label>
    </Modal>
  )
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
