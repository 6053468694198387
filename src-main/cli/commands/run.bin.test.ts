/**
 * `ioc-studio run` as users run it: the built command (bin/ioc-studio.js over out/main/cli.js) in a child
 * process, configured through the EPICS environment, checked with pyepics, stopped with SIGINT/SIGTERM.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Project } from '@shared/model/project'
import { CaClient } from '../../../test/examples/support/ca-client'
import { pyepics } from '../../../test/support/system'

const ROOT = join(import.meta.dirname, '../../..')
const BIN = join(ROOT, 'bin/ioc-studio.js')
const CORPUS = join(ROOT, 'test/fixtures/caproto')
const ports = { serverPort: 18210, repeaterPort: 18211 }
const dir = mkdtempSync(join(tmpdir(), 'ioc-cli-run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'run', ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      EPICS_CA_SERVER_PORT: String(ports.serverPort),
      EPICS_CAS_INTF_ADDR_LIST: '127.0.0.1',
      EPICS_CAS_AUTO_BEACON_ADDR_LIST: 'NO',
      EPICS_CAS_BEACON_ADDR_LIST: `127.0.0.1:${ports.repeaterPort}`,
    },
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, stdout: () => stdout, stderr: () => stderr }
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out/main/cli.js'))) {
    throw new Error(
      'out/main/cli.js is missing: `npm test` builds it; alone, run `npx electron-vite build` first',
    )
  }
})

describe('ioc-studio run (the built command)', () => {
  it('explains a file it cannot use, with exit status 1 or 2', async () => {
    const missing = run([join(dir, 'none.py')])
    expect(await missing.exited).toBe(1)
    expect(missing.stderr()).toMatch(/none\.py: no such file/)
    const usage = run(['notes.txt'])
    expect(await usage.exited).toBe(2)
    expect(usage.stderr()).toMatch(/notes\.txt is not a project \(\.ioc\.json\) or a caproto script \(\.py\)/)
  })

  it('a script that fails is exit status 1 with the reason on stderr', async () => {
    const broken = join(dir, 'broken.py')
    writeFileSync(broken, 'from caproto.server import PVGroup\nraise RuntimeError("no device")\n')
    const cli = run([broken])
    expect(await cli.exited).toBe(1)
    expect(cli.stderr()).toMatch(/ioc-studio run: broken\.py: RuntimeError: no device/)
    expect(cli.stderr()).toMatch(/File "broken\.py", line 2/)
  })
})

describe.skipIf(!pyepics().available)('ioc-studio run with a Channel Access client', () => {
  let client: CaClient
  beforeAll(async () => {
    client = new CaClient(ports)
    await client.ready()
  })
  afterAll(async () => client?.quit())

  it('serves a caproto script: progress on stdout, PVs over CA, SIGINT stops it cleanly', async () => {
    const cli = run([join(CORPUS, 'simple_server.py'), '--list-pvs', '--prefix', 'cli:'])
    await expect.poll(cli.stdout, { timeout: 30_000 }).toMatch(/Press Ctrl\+C to stop\./)
    const lines = cli.stdout().split('\n')
    expect(lines.slice(0, 2)).toEqual([
      'Loading Python (Pyodide)…',
      expect.stringMatching(/^Python ready in \d+\.\d s$/),
    ])
    expect(lines).toEqual(
      expect.arrayContaining([
        'simple_server.py: 4 PVs',
        `Channel Access server running: TCP port ${ports.serverPort}, UDP port ${ports.serverPort} on 127.0.0.1`,
        'PVs:',
        '  cli:running',
        '  cli:val',
      ]),
    )
    await client.put('cli:val', 2.5)
    expect((await client.waitFor('cli:rbv', 2.5, { timeout: 5 })).reached).toBe(true)
    await expect.poll(cli.stderr).toMatch(/info {2}\[cli:val\] val: new value is 2\.5/)

    cli.child.kill('SIGINT')
    expect(await cli.exited).toBe(0)
    expect(cli.stdout()).toMatch(/Stopping…\n(.*\n)*IOC stopped\n/)
  })

  it('runs a project with macros and autosave, restores on the next run, stops on SIGTERM', async () => {
    const project: Project = {
      formatVersion: 1,
      server: { name: 'Stage', className: 'Stage', prefix: '{bl}:stage:', macros: [{ name: 'bl' }] },
      pvs: [
        { name: 'X', type: 'DOUBLE', value: 0, precision: 3, units: 'mm', autosave: true },
        { name: 'MOVES', type: 'LONG', value: 0, readOnly: true },
      ],
    }
    const path = join(dir, 'stage.ioc.json')
    writeFileSync(path, JSON.stringify(project))
    const missing = run([path])
    expect(await missing.exited).toBe(2)
    expect(missing.stderr()).toMatch(/the project needs --bl VALUE/)

    const cli = run([path, '--bl', 'BL9', '-q'])
    await expect
      .poll(() => client.get('BL9:stage:X', { ctrl: true }).catch(() => undefined), { timeout: 30_000 })
      .toMatchObject({ value: 0, units: 'mm', precision: 3 })
    expect(cli.stdout()).toBe('')
    await client.put('BL9:stage:X', 7.25)
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'stage.autosave.json'), 'utf8'))).toEqual({
      'BL9:stage:X': { value: 7.25, fields: {} },
    })

    const again = run([path, '--bl', 'BL9'])
    await expect.poll(again.stdout, { timeout: 30_000 }).toMatch(/Press Ctrl\+C to stop\./)
    expect((await client.get('BL9:stage:X')).value).toBe(7.25)
    again.child.kill('SIGINT')
    expect(await again.exited).toBe(0)
  })
})
