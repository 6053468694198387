/**
 * Closing the window with unsaved changes asks first. The 'close' event has to be cancelled before the
 * answer exists (a native message box is asynchronous), so the guard cancels, asks, and closes the window
 * again itself when the user chose to discard; that second close goes through. Quitting (Cmd+Q, File > Quit)
 * closes the window first, so it is guarded too: a cancelled close cancels the quit.
 */
import type { MessageBoxOptions } from 'electron'
import { baseName } from '@shared/api/files'

export interface UnsavedChangesSource {
  readonly hasUnsavedChanges: boolean
}

/** The part of a BrowserWindow the guard uses. */
export interface ClosableWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown
  close(): void
}

/** The part of Electron's `dialog` the guard uses. */
export interface MessageBoxes<W> {
  showMessageBox(window: W, options: MessageBoxOptions): Promise<{ response: number }>
}

const DISCARD = 0
const CANCEL = 1

export function unsavedChangesQuestion(path: string | null): MessageBoxOptions {
  const name = path === null ? 'The untitled project' : baseName(path)
  return {
    type: 'warning',
    title: 'Unsaved changes',
    message: 'Close IOC Studio without saving?',
    detail: `${name} has changes that are not saved. They are lost if you close now.`,
    buttons: ['Close Without Saving', 'Cancel'],
    defaultId: CANCEL,
    cancelId: CANCEL,
    noLink: true,
  }
}

/** `path()` names the project in the question (null while untitled). */
export function guardUnsavedChanges<W extends ClosableWindow>(
  window: W,
  source: UnsavedChangesSource,
  dialog: MessageBoxes<W>,
  path: () => string | null,
): void {
  let confirmed = false
  let asking = false
  const ask = async () => {
    asking = true
    try {
      const { response } = await dialog.showMessageBox(window, unsavedChangesQuestion(path()))
      if (response !== DISCARD) return
      confirmed = true
      window.close()
    } finally {
      asking = false
    }
  }
  window.on('close', (event) => {
    if (confirmed || !source.hasUnsavedChanges) return
    event.preventDefault()
    // A second close while the question is open (a quit from the dock): the open question answers both.
    if (!asking) void ask().catch(() => undefined) // no answer keeps the window: nothing is lost
  })
}
