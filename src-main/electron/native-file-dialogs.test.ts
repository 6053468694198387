import type { OpenDialogOptions, SaveDialogOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import type { FileDialogPurpose } from '@shared/api/contract'
import { FILE_DIALOGS } from '../backend'
import { nativeFileDialogs, openDialogOptions, saveDialogOptions, savedPath } from './native-file-dialogs'
import type { FileDialogs } from './native-file-dialogs'

/** Electron's dialog as far as the adapter sees it: records each call and answers from a script. */
function scriptedDialogs(answer: { open?: string[]; save?: string }) {
  const calls: { kind: 'open' | 'save'; args: unknown[] }[] = []
  const dialogs = {
    showOpenDialog: async (...args: unknown[]) => {
      calls.push({ kind: 'open', args })
      return { canceled: answer.open === undefined, filePaths: answer.open ?? [] }
    },
    showSaveDialog: async (...args: unknown[]) => {
      calls.push({ kind: 'save', args })
      return { canceled: answer.save === undefined, filePath: answer.save ?? '' }
    },
  } as unknown as FileDialogs
  return { dialogs, calls }
}

describe('native file dialogs', () => {
  it("opens one existing file with the purpose's title, button and filters", () => {
    expect(openDialogOptions(FILE_DIALOGS.open, '/home/ada')).toEqual({
      title: FILE_DIALOGS.open.title,
      buttonLabel: 'Open',
      filters: FILE_DIALOGS.open.filters,
      defaultPath: '/home/ada',
      properties: ['openFile'],
    })
    expect(openDialogOptions(FILE_DIALOGS['import-script'])).not.toHaveProperty('defaultPath')
  })

  it('asks before overwriting when saving', () => {
    expect(saveDialogOptions(FILE_DIALOGS['export-script'], '/srv/beam.py')).toMatchObject({
      buttonLabel: 'Export',
      filters: [{ name: 'caproto scripts', extensions: ['py'] }],
      defaultPath: '/srv/beam.py',
      properties: expect.arrayContaining(['showOverwriteConfirmation']),
    })
  })

  it.each([
    ['save-project', '/p/motor', '/p/motor.ioc.json'],
    ['save-project', '/p/motor.json', '/p/motor.ioc.json'],
    ['save-project', '/p/motor.JSON', '/p/motor.ioc.json'],
    ['save-project', '/p/motor.ioc.json', '/p/motor.ioc.json'],
    ['save-project', '/p/v1.2', '/p/v1.2.ioc.json'],
    ['export-script', '/p/motor', '/p/motor.py'],
    ['export-script', '/p/motor.py', '/p/motor.py'],
    ['open', '/p/notes.txt', '/p/notes.txt'],
  ] as const)('%s: a dialog answering %s means %s', (purpose: FileDialogPurpose, path, expected) => {
    expect(savedPath(purpose, path)).toBe(expected)
  })

  it('returns the chosen path, or null when cancelled, modal to the window when there is one', async () => {
    const window = { id: 1 }
    const chosen = scriptedDialogs({ open: ['/home/ada/pumps.ioc.json'], save: '/home/ada/pumps' })
    const host = nativeFileDialogs(chosen.dialogs, () => window as never)
    expect(await host.show({ purpose: 'open' })).toBe('/home/ada/pumps.ioc.json')
    expect(await host.show({ purpose: 'save-project', defaultPath: '/home/ada' })).toBe(
      '/home/ada/pumps.ioc.json',
    )
    expect(chosen.calls.map((c) => [c.kind, c.args[0]])).toEqual([
      ['open', window],
      ['save', window],
    ])
    expect((chosen.calls[1].args[1] as SaveDialogOptions).title).toBe(FILE_DIALOGS['save-project'].title)

    const cancelled = scriptedDialogs({})
    const parentless = nativeFileDialogs(cancelled.dialogs, () => undefined)
    expect(await parentless.show({ purpose: 'import-script' })).toBeNull()
    expect(await parentless.show({ purpose: 'export-script' })).toBeNull()
    // Without a window, Electron's one-argument form: the options come first.
    expect(cancelled.calls.map((c) => (c.args[0] as OpenDialogOptions).buttonLabel)).toEqual([
      'Import',
      'Export',
    ])
  })
})
