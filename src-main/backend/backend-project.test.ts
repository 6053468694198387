/**
 * The Backend's project operations through the dispatcher, as a renderer calls them: files on a real
 * temporary folder, the examples in resources/examples, and (last block) the real ProjectSession with
 * Pyodide for import, syntax checks, running and hook errors mapped back into the document.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type {
  DirectoryListing,
  ExampleProject,
  ExportPreview,
  HookError,
  OpenProject,
  ProjectFileState,
  ServerStatus,
} from '@shared/api/contract'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import { exportProjectJson } from '@shared/codegen/project-json'
import { parseProjectText } from '@shared/model/parse'
import type { Project } from '@shared/model/project'
import { Backend } from './backend'
import type { ProjectFileEvent } from './backend'
import { dispatchRequest, subscribeStream } from './dispatch'
import { MemoryRecentProjects } from './recent-projects'
import { CaWatch } from '../../test/e2e/support/ca-watch'
import { pyepics } from '../../test/support/system'

const folder = mkdtempSync(join(tmpdir(), 'ioc-backend-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const backends: Backend[] = []
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.dispose()))
})

/** A backend whose IOC is the bare CA server: file operations need no Python. */
function fileBackend(options: { recent?: MemoryRecentProjects } = {}): Backend {
  const backend = new Backend({
    host: 'browser',
    version: '1.0.0',
    flushIntervalMs: 5,
    launchCaServer: () => Promise.reject(new Error('no CA server in this test')),
    recentProjects: options.recent,
    defaultDirectory: folder,
  })
  backends.push(backend)
  return backend
}

const call = <T>(backend: Backend, name: string, ...args: unknown[]) =>
  dispatchRequest(backend, name, args) as Promise<T>

const lab = (pvs: Project['pvs'] = [{ name: 'temperature', type: 'DOUBLE', units: 'degC' }]): Project => ({
  formatVersion: 1,
  server: { name: 'Lab', className: 'Lab', prefix: 'LAB:' },
  pvs,
})

describe('Backend projects', () => {
  it('starts with a blank untitled project and follows edits with the dirty state', async () => {
    const b = fileBackend()
    const states: ProjectFileState[] = []
    subscribeStream(b, 'onDidChangeProjectFile', (s) => states.push(s as ProjectFileState))
    const open = await call<OpenProject>(b, 'getProject')
    expect(open).toMatchObject({ path: null, dirty: false, documentId: 1 })
    expect(open.project.pvs).toEqual([])

    expect(await call(b, 'updateProject', lab())).toEqual({ path: null, dirty: true, documentId: 1 })
    expect(b.hasUnsavedChanges).toBe(true)
    await call(b, 'updateProject', open.project)
    expect(states.map((s) => s.dirty)).toEqual([true, false])
  })

  it('saves to a file, clean afterwards, and records it as recent; Save without a file asks for Save As', async () => {
    const recent = new MemoryRecentProjects()
    const b = fileBackend({ recent })
    const used: ProjectFileEvent[] = []
    b.onDidUseProjectFile((event) => used.push(event))
    const recents: string[][] = []
    subscribeStream(b, 'onDidChangeRecentProjects', (list) => recents.push(list as string[]))

    await call(b, 'updateProject', lab())
    await expect(call(b, 'saveProject', null)).rejects.toThrow(
      'The project has no file yet: choose one with Save As',
    )
    const path = join(folder, 'lab.ioc.json')
    expect(await call(b, 'saveProject', path)).toEqual({ path, dirty: false, documentId: 1 })
    expect(readFileSync(path, 'utf8')).toBe(exportProjectJson(lab()))
    expect(used).toEqual([{ path, action: 'saved' }])
    expect(recents).toEqual([[path]])
    expect(await call(b, 'getRecentProjects')).toEqual([path])

    await call(b, 'updateProject', lab([]))
    expect(await call(b, 'saveProject', null)).toEqual({ path, dirty: false, documentId: 1 })
    await expect(call(b, 'saveProject', join(folder, 'lab.json'))).rejects.toThrow(
      'A project is saved as a .ioc.json file, not lab.json',
    )
  })

  it('opens a project file as a new document, and explains a file that is not a project', async () => {
    const path = join(folder, 'open-me.ioc.json')
    writeFileSync(path, JSON.stringify({ ...lab(), extra: { kept: true } }))
    const b = fileBackend()
    const opened = await call<OpenProject>(b, 'openProject', path)
    expect(opened).toMatchObject({ path, dirty: false, documentId: 2 })
    expect(opened.project.pvs[0].name).toBe('temperature')
    expect(opened.warnings).toEqual([{ path: 'extra', message: 'unknown field, kept as it is' }])

    const broken = join(folder, 'broken.ioc.json')
    writeFileSync(broken, '{"formatVersion": 1, "server": {}}')
    await expect(call(b, 'openProject', broken)).rejects.toThrow(
      /broken\.ioc\.json is not a valid IOC Studio project:\n {2}server/,
    )
    writeFileSync(broken, '{ not json')
    await expect(call(b, 'openProject', broken)).rejects.toThrow(/not valid JSON at line 1, column 3/)
    await expect(call(b, 'openProject', join(folder, 'missing.ioc.json'))).rejects.toThrow(/does not exist/)
    await expect(call(b, 'openProject', join(folder, 'notes.txt'))).rejects.toThrow(
      'is neither a project (.ioc.json) nor a script (.py)',
    )
    expect((await call<OpenProject>(b, 'getProject')).path).toBe(path)
  })

  it('opens work in progress saved with problems, listing them as warnings', async () => {
    const path = join(folder, 'wip.ioc.json')
    const states = Array.from({ length: 17 }, (_, i) => `s${i}`)
    writeFileSync(path, JSON.stringify(lab([{ name: 'mode', type: 'ENUM', enumStrings: states }])))
    const opened = await call<OpenProject>(fileBackend(), 'openProject', path)
    expect(opened.project.pvs[0].enumStrings).toHaveLength(17)
    expect(opened.warnings).toEqual([{ path: 'pvs[0].enumStrings', message: '17 states, at most 16' }])
  })

  it('takes a dropped project as untitled and unsaved', async () => {
    const b = fileBackend()
    const opened = await call<OpenProject>(b, 'openProjectText', 'dropped.ioc.json', JSON.stringify(lab()))
    expect(opened).toMatchObject({ path: null, dirty: true })
    await expect(call(b, 'openProjectText', 'notes.md', '# hi')).rejects.toThrow('neither a project')
  })

  it('offers the examples, and creates a project from one', async () => {
    const b = fileBackend()
    const examples = await call<ExampleProject[]>(b, 'listExamples')
    expect(examples.length).toBeGreaterThanOrEqual(5)
    for (const example of examples) {
      expect(example.name).not.toBe('')
      expect(example.pvCount).toBeGreaterThan(0)
    }
    const motor = examples.find((e) => e.id === 'motor-simulator') as ExampleProject
    const created = await call<OpenProject>(b, 'newProject', motor.id)
    expect(created).toMatchObject({ path: null, dirty: false })
    expect(created.project.server.name).toBe(motor.name)
    await expect(call(b, 'newProject', 'no-such-example')).rejects.toThrow(
      'There is no example called "no-such-example"',
    )
    expect((await call<OpenProject>(b, 'newProject', null)).project.pvs).toEqual([])
  })

  it('previews the export beside the project, reads the file there, and writes it', async () => {
    const b = fileBackend()
    await call(b, 'updateProject', lab())
    expect(await call<ExportPreview>(b, 'previewExport')).toEqual({
      script: exportCaprotoScript(lab()),
      defaultPath: null,
    })
    const path = join(folder, 'export', 'lab.ioc.json')
    mkdirSync(join(folder, 'export'))
    await call(b, 'saveProject', path)
    const preview = await call<ExportPreview>(b, 'previewExport')
    expect(preview.defaultPath).toBe(join(folder, 'export', 'lab.py'))

    expect(await call(b, 'readScript', preview.defaultPath)).toBeNull()
    expect(await call(b, 'exportScript', preview.defaultPath)).toBe(preview.defaultPath)
    expect(await call(b, 'readScript', preview.defaultPath)).toBe(preview.script)
    await expect(call(b, 'exportScript', join(folder, 'lab.txt'))).rejects.toThrow(
      'A caproto script is a .py file',
    )
    await expect(call(b, 'readScript', path)).rejects.toThrow('A caproto script is a .py file')

    await call(b, 'updateProject', lab([{ name: 'bad name', type: 'DOUBLE' }]))
    await expect(call(b, 'previewExport')).rejects.toThrow(/The project has errors, so it cannot be exported/)
  })

  it('lists the project folder by default, then any folder asked for', async () => {
    const b = fileBackend()
    const start = await call<DirectoryListing>(b, 'listDirectory', null)
    expect(start.path).toBe(folder)
    await call(b, 'updateProject', lab())
    mkdirSync(join(folder, 'sub'))
    await call(b, 'saveProject', join(folder, 'sub', 'in-sub.ioc.json'))
    const listing = await call<DirectoryListing>(b, 'listDirectory', null)
    expect(listing.path).toBe(join(folder, 'sub'))
    expect(listing.entries.map((e) => e.name)).toEqual(['in-sub.ioc.json'])
  })

  it('has no native dialogs unless the host gives them, and passes requests to those it gives', async () => {
    const b = fileBackend()
    expect((await call<{ nativeFileDialogs: boolean }>(b, 'getAppInfo')).nativeFileDialogs).toBe(false)
    await expect(call(b, 'showFileDialog', { purpose: 'open' })).rejects.toThrow(
      'This host has no native file dialogs',
    )

    const asked: unknown[] = []
    const withDialogs = new Backend({
      host: 'electron',
      version: '1.0.0',
      launchCaServer: () => Promise.reject(new Error('none')),
      fileDialogs: { show: async (request) => (asked.push(request), '/chosen.ioc.json') },
    })
    backends.push(withDialogs)
    expect((await call<{ nativeFileDialogs: boolean }>(withDialogs, 'getAppInfo')).nativeFileDialogs).toBe(
      true,
    )
    expect(
      await call(withDialogs, 'showFileDialog', { purpose: 'save-project', defaultPath: '/a.ioc.json' }),
    ).toBe('/chosen.ioc.json')
    expect(asked).toEqual([{ purpose: 'save-project', defaultPath: '/a.ioc.json' }])
  })

  it('relays the host’s Open Recent to the renderer', () => {
    const b = fileBackend()
    const paths: unknown[] = []
    subscribeStream(b, 'onDidRequestOpenFile', (path) => paths.push(path))
    b.requestOpenFile('/x/lab.ioc.json')
    expect(paths).toEqual(['/x/lab.ioc.json'])
  })
})

describe.skipIf(!pyepics().available)(
  'Backend running projects (Pyodide, pyepics)',
  { timeout: 120_000 },
  () => {
    const CA_PORT = 19420

    function pythonBackend(): Backend {
      const backend = new Backend({
        host: 'browser',
        version: '1.0.0',
        flushIntervalMs: 5,
        env: {},
        caConfig: {
          serverPort: CA_PORT,
          interfaces: ['127.0.0.1'],
          autoBeaconAddresses: false,
          beaconAddresses: [],
        },
      })
      backends.push(backend)
      return backend
    }

    it('checks Python syntax, imports a script, runs it and places hook errors in the document', async () => {
      const b = pythonBackend()
      expect(await call(b, 'checkPythonSyntax', 'async def f():\n    return (1\n', '<putter>')).toEqual([
        { line: 2, column: 12, message: "'(' was never closed" },
      ])

      const script = readFileSync(join(import.meta.dirname, '../../test/e2e/fixtures/thermostat.py'), 'utf8')
      const imported = await call<OpenProject>(
        b,
        'openProject',
        join(import.meta.dirname, '../../test/e2e/fixtures/thermostat.py'),
      )
      expect(imported).toMatchObject({ path: null, dirty: true })
      expect(imported.project.pvs.map((pv) => pv.name)).toEqual(['setpoint', 'temperature', 'heater'])
      expect(imported.project.pvs[1].hooks?.scan?.body).toContain('heating = ')
      expect(script).toContain('class Thermostat')

      // A putter that fails on its second line: the error names the PV, the hook and that line.
      const failing = lab([
        { name: 'sp', type: 'DOUBLE', hooks: { putter: '\nx = 1\nraise ValueError("too hot")\n' } },
      ])
      await call(b, 'updateProject', failing)
      const errors: HookError[] = []
      subscribeStream(b, 'onDidHookError', (batch) => errors.push(...(batch as HookError[])))
      const status = await call<ServerStatus>(b, 'startServer')
      expect(status).toMatchObject({ state: 'running', tcpPort: CA_PORT, pvCount: 1 })
      const client = new CaWatch({ serverPort: CA_PORT, repeaterPort: CA_PORT + 1 })
      try {
        await client.ready()
        // The putter raised: the put fails and the value stays.
        expect((await client.call('put', { pv: 'LAB:sp', value: 5 })).readback).toBe(0)
      } finally {
        await client.quit()
      }
      await expect.poll(() => errors.length, { timeout: 10_000 }).toBeGreaterThan(0)
      expect(errors[0]).toMatchObject({ pv: 'LAB:sp', pvPath: 'pvs[0]', hook: 'putter', line: 3 })
      expect(errors[0].message).toContain('too hot')
      expect((await call<ServerStatus>(b, 'stopServer')).state).toBe('stopped')
    })
  },
)

describe('a project saved by the backend', () => {
  it('opens again as it was', async () => {
    const path = join(folder, 'round-trip.ioc.json')
    const b = fileBackend()
    await call(b, 'updateProject', lab())
    await call(b, 'saveProject', path)
    const parsed = parseProjectText(readFileSync(path, 'utf8'))
    expect(parsed.ok && parsed.project).toEqual(lab())
    expect(existsSync(path)).toBe(true)
  })
})
