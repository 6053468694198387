import { useEffect, useState } from 'react'
import type { DragEvent } from 'react'
import type { Platform } from '../../platform/api'
import { connectStores } from '../../state/connect'
import { useDirty } from '../../state/project'
import { AboutDialog } from '../about/AboutDialog'
import { runAppCommand } from '../commands/run-app-command'
import { DialogHost } from '../dialogs/DialogHost'
import { openDroppedFile, openFile } from '../files/file-commands'
import { PvSidebar } from '../pvs/PvSidebar'
import { BottomPanel } from '../workbench/BottomPanel'
import { EditorArea } from '../workbench/EditorArea'
import { shortcutFor } from './keyboard'
import { textBoxOwnsUndo } from './text-undo'
import { ConnectionBanner, Notice, StatusBar } from './StatusBar'
import { TopBar } from './TopBar'

/** The window: top bar, project tree, editor tabs, bottom panel, status bar; files can be dropped anywhere. */
export function AppShell({ platform }: { platform: Platform }) {
  useEffect(
    () => connectStores(platform, { onCommand: runAppCommand, onOpenFile: (path) => void openFile(path) }),
    [platform],
  )
  useShortcuts()
  useUnloadGuard()
  const [dropping, setDropping] = useState(false)

  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setDropping(false)
    const file = event.dataTransfer.files[0]
    if (file) void openDroppedFile(file)
  }

  return (
    <div
      className="shell"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return
        e.preventDefault()
        setDropping(true)
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.currentTarget.contains(e.relatedTarget as Node))
          setDropping(false)
      }}
      onDrop={onDrop}
    >
      <TopBar />
      <ConnectionBanner />
      <div className="workbench">
        <PvSidebar />
        <main className="main-area">
          <EditorArea />
          <BottomPanel />
        </main>
      </div>
      <StatusBar kind={platform.kind} />
      <AboutDialog />
      <DialogHost />
      <Notice />
      {dropping && (
        <div className="drop-overlay" aria-hidden="true">
          Drop a project (.ioc.json) to open it, or a caproto script (.py) to import it
        </div>
      )}
    </div>
  )
}

/** Keyboard shortcuts for the whole window (Monaco keeps its own keys while it has focus). */
function useShortcuts() {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const shortcut = shortcutFor(event)
      if (!shortcut) return
      const target = event.target as Element | null
      const isUndo = shortcut.command === 'edit.undo' || shortcut.command === 'edit.redo'
      // Monaco and text boxes outside the document keep their own history: let the key reach them.
      if (isUndo && (target?.closest?.('.monaco-editor') || textBoxOwnsUndo(target))) return
      if (document.querySelector('dialog[open]') && shortcut.command !== 'edit.undo') return
      event.preventDefault()
      runAppCommand(shortcut.command)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}

/** A browser tab closing with unsaved changes asks first (the desktop shell asks through the backend). */
function useUnloadGuard() {
  const dirty = useDirty()
  useEffect(() => {
    if (!dirty) return
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [dirty])
}
