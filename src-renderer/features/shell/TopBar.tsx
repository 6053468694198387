import { useEffect, useRef, useState } from 'react'
import { baseName } from '@shared/api/files'
import appIcon from '../../../resources/icon.svg'
import { setAboutOpen } from '../../state/app'
import {
  redoEdit,
  undoEdit,
  useDirty,
  useProjectStore,
  useRedoLabel,
  useUndoLabel,
} from '../../state/project'
import { useRecentProjects } from '../../state/recent'
import {
  exportScript,
  importScript,
  newProject,
  openFile,
  saveProject,
  saveProjectAs,
} from '../files/file-commands'
import { ServerControls } from '../server/ServerControls'
import {
  ChevronIcon,
  ExportIcon,
  FolderIcon,
  ImportIcon,
  InfoIcon,
  NewFileIcon,
  RedoIcon,
  SaveAsIcon,
  SaveIcon,
  UndoIcon,
} from './icons'
import { withShortcut } from './keyboard'

export function TopBar() {
  const name = useProjectStore((s) => s.history?.present.server.name)
  const path = useProjectStore((s) => s.path)
  const dirty = useDirty()
  const undoLabel = useUndoLabel()
  const redoLabel = useRedoLabel()
  return (
    <header className="top-bar">
      <div className="brand">
        <img src={appIcon} alt="" width={26} height={26} />
        <span className="brand-name">IOC Studio</span>
        <span className="brand-separator" aria-hidden="true">
          /
        </span>
        <span className="project-name" title={path ?? 'Not saved yet'} data-testid="project-name">
          <span className="project-title">{name ?? '…'}</span>
          {path && <span className="project-file">{baseName(path)}.ioc.json</span>}
          {dirty && (
            <span className="dirty-dot" role="img" aria-label="unsaved changes" title="Unsaved changes">
              ●
            </span>
          )}
        </span>
      </div>
      <div className="button-group" role="toolbar" aria-label="Project">
        <IconButton
          label={withShortcut('New project', 'file.new')}
          onClick={() => void newProject()}
          Icon={NewFileIcon}
        />
        <IconButton
          label={withShortcut('Open', 'file.open')}
          onClick={() => void openFile()}
          Icon={FolderIcon}
        />
        <RecentMenu />
        <IconButton
          label={withShortcut('Save', 'file.save')}
          onClick={() => void saveProject()}
          Icon={SaveIcon}
        />
        <IconButton
          label={withShortcut('Save As…', 'file.saveAs')}
          onClick={() => void saveProjectAs()}
          Icon={SaveAsIcon}
        />
        <IconButton
          label={withShortcut('Import a caproto script', 'file.import')}
          onClick={() => void importScript()}
          Icon={ImportIcon}
        />
        <IconButton
          label={withShortcut('Export a caproto script', 'file.export')}
          onClick={() => void exportScript()}
          Icon={ExportIcon}
        />
        <span className="toolbar-separator" aria-hidden="true" />
        <IconButton
          label={withShortcut(undoLabel ? `Undo ${undoLabel}` : 'Undo', 'edit.undo')}
          onClick={undoEdit}
          Icon={UndoIcon}
          disabled={!undoLabel}
        />
        <IconButton
          label={withShortcut(redoLabel ? `Redo ${redoLabel}` : 'Redo', 'edit.redo')}
          onClick={redoEdit}
          Icon={RedoIcon}
          disabled={!redoLabel}
        />
      </div>
      <ServerControls />
      <IconButton label="About IOC Studio" onClick={() => setAboutOpen(true)} Icon={InfoIcon} />
    </header>
  )
}

function IconButton({
  label,
  onClick,
  Icon,
  disabled = false,
}: {
  label: string
  onClick: () => void
  Icon: () => React.ReactElement
  disabled?: boolean
}) {
  return (
    <button className="icon-button" title={label} aria-label={label} onClick={onClick} disabled={disabled}>
      <Icon />
    </button>
  )
}

/** File > Open Recent, for the browser (the desktop menu has its own). */
function RecentMenu() {
  const recent = useRecentProjects((s) => s.list)
  const [open, setOpen] = useState(false)
  const menu = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node)) setOpen(false)
    }
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false)
    }
    window.addEventListener('mousedown', close)
    window.addEventListener('keydown', escape)
    return () => {
      window.removeEventListener('mousedown', close)
      window.removeEventListener('keydown', escape)
    }
  }, [open])
  return (
    <div className="menu-anchor" ref={menu}>
      <button
        className="icon-button narrow"
        title="Open Recent"
        aria-label="Open Recent"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={recent.length === 0}
        onClick={() => setOpen(!open)}
      >
        <ChevronIcon />
      </button>
      {open && (
        <div className="menu" role="menu" aria-label="Recent projects">
          {recent.map((path) => (
            <button
              key={path}
              role="menuitem"
              className="menu-item"
              title={path}
              onClick={() => {
                setOpen(false)
                void openFile(path)
              }}
            >
              <span>{baseName(path)}</span>
              <span className="menu-detail">{path}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
