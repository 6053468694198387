import * as monaco from 'monaco-editor/editor'
import type { AppCommand } from '@shared/api/contract'
import { setAboutOpen } from '../../state/app'
import { redoEdit, undoEdit } from '../../state/project'
import { runServerAction } from '../../state/server'
import {
  exportScript,
  importScript,
  newProject,
  openFile,
  saveProject,
  saveProjectAs,
} from '../files/file-commands'
import { textBoxOwnsUndo } from '../shell/text-undo'

/** Inside the code editor, Undo and Redo are Monaco's own (its changes reach the document as edits). */
function undoInCode(action: 'undo' | 'redo'): boolean {
  const editor = monaco.editor.getEditors().find((e) => e.hasTextFocus())
  if (!editor) return false
  editor.trigger('menu', action, null)
  return true
}

/** A text box outside the document (a filter, a dialog input) undoes its own text, not the project. */
function undoInTextBox(action: 'undo' | 'redo'): boolean {
  if (!textBoxOwnsUndo(document.activeElement)) return false
  // The menu's command replaces the native Undo, so ask the box to do it; execCommand is the only way in.
  document.execCommand(action)
  return true
}

/** Carries out a command from the host's chrome (the Electron menu) or a keyboard shortcut. */
export function runAppCommand(command: AppCommand): void {
  switch (command) {
    case 'file.new':
      void newProject()
      return
    case 'file.open':
      void openFile()
      return
    case 'file.save':
      void saveProject()
      return
    case 'file.saveAs':
      void saveProjectAs()
      return
    case 'file.import':
      void importScript()
      return
    case 'file.export':
      void exportScript()
      return
    case 'server.start':
      void runServerAction('start')
      return
    case 'server.stop':
      void runServerAction('stop')
      return
    case 'server.restart':
      void runServerAction('restart')
      return
    case 'server.apply':
      void runServerAction('apply')
      return
    case 'edit.undo':
      if (!undoInCode('undo') && !undoInTextBox('undo')) undoEdit()
      return
    case 'edit.redo':
      if (!undoInCode('redo') && !undoInTextBox('redo')) redoEdit()
      return
    case 'help.about':
      setAboutOpen(true)
      return
  }
}
