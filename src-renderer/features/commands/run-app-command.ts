import type { AppCommand } from '@shared/api/contract'
import { setAboutOpen, showNotice } from '../../state/app'
import { runServerAction } from '../../state/server'

const LATER: Partial<Record<AppCommand, string>> = {
  'file.new': 'New project',
  'file.open': 'Open project',
  'file.save': 'Save',
  'file.saveAs': 'Save As',
  'file.import': 'Import',
  'file.export': 'Export',
}

/** Carries out a command from the host's chrome (the Electron menu). */
export function runAppCommand(command: AppCommand): void {
  switch (command) {
    case 'server.start':
      void runServerAction('start')
      return
    case 'server.stop':
      void runServerAction('stop')
      return
    case 'server.restart':
      void runServerAction('restart')
      return
    case 'help.about':
      setAboutOpen(true)
      return
    default:
      showNotice(`${LATER[command] ?? command} arrives with projects in a coming version.`)
  }
}
