/** The file commands (export, import, check) and `serve <project>`, run in-process through `main`. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import { parseProjectText } from '@shared/model/parse'
import type { CliIo } from '../io'
import { main } from '../main'
import type { CliEnvironment } from '../main'

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) }
}

const dir = mkdtempSync(join(tmpdir(), 'ioc-cli-commands-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const PROJECTS = new URL('../../../test/fixtures/projects/', import.meta.url)
const CORPUS = new URL('../../../test/fixtures/caproto/', import.meta.url)

function fixture(name: string, from = PROJECTS): string {
  const path = join(dir, name)
  copyFileSync(new URL(name, from), path)
  return path
}

const motor = fixture('motor.ioc.json')
const motorProject = () => {
  const parsed = parseProjectText(readFileSync(motor, 'utf8'))
  if (!parsed.ok) throw new Error('fixture')
  return parsed.project
}
const broken = join(dir, 'broken.ioc.json')
writeFileSync(
  broken,
  JSON.stringify({
    ...motorProject(),
    pvs: [{ ...motorProject().pvs[0], enumStrings: ['a'] }, motorProject().pvs[0]],
  }),
)
const unreadable = join(dir, 'unreadable.ioc.json')
writeFileSync(unreadable, '{"formatVersion": 1, "server": {}')

describe('ioc-studio export', () => {
  it('prints the caproto script, or writes it with -o', async () => {
    const io = capture()
    expect(await main(['export', motor], io)).toBe(0)
    expect(`${io.stdout.join('\n')}\n`).toBe(exportCaprotoScript(motorProject()))
    const out = join(dir, 'motor.py')
    expect(await main(['export', motor, '-o', out], capture())).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(exportCaprotoScript(motorProject()))
  })

  it('exit status 1 with the problems for a project with errors or a file that does not load', async () => {
    const io = capture()
    expect(await main(['export', broken], io)).toBe(1)
    expect(io.stderr[0]).toMatch(/^ioc-studio export: .*broken.ioc.json: The project has errors/)
    expect(io.stderr[0]).toMatch(/pvs\[1\]\.name: .*VAL/)
    const missing = capture()
    expect(await main(['export', join(dir, 'none.ioc.json')], missing)).toBe(1)
    expect(missing.stderr[0]).toMatch(/none\.ioc\.json: no such file$/)
    const bad = capture()
    expect(await main(['export', unreadable], bad)).toBe(1)
    expect(bad.stderr[0]).toMatch(/unreadable\.ioc\.json is not a valid project:\n {2}/)
  })

  it('exit status 2 for a wrong command line, with the usage', async () => {
    const io = capture()
    expect(await main(['export', 'server.py'], io)).toBe(2)
    expect(io.stderr[0]).toMatch(
      /^ioc-studio export: server\.py is not a project \(\.ioc\.json\)\n\nUsage: ioc-studio export/,
    )
    expect(await main(['export', motor, '-o'], capture())).toBe(2)
    expect(await main(['export', motor, '--force'], capture())).toBe(2)
  })
})

describe('ioc-studio check', () => {
  it('lists problems with their paths; exit status 1 on errors', async () => {
    const good = capture()
    expect(await main(['check', motor], good)).toBe(0)
    expect(good.stdout[good.stdout.length - 1]).toMatch(
      /motor\.ioc\.json: (no problems|0 errors, \d+ warnings?)$/,
    )
    const bad = capture()
    expect(await main(['check', broken], bad)).toBe(1)
    expect(bad.stdout).toContainEqual(expect.stringMatching(/^error {4}pvs\[1\]\.name: /))
    expect(bad.stdout[bad.stdout.length - 1]).toMatch(/broken\.ioc\.json: \d+ errors?, \d+ warnings?$/)
    const unloadable = capture()
    expect(await main(['check', unreadable], unloadable)).toBe(1)
    expect(unloadable.stdout[0]).toMatch(/^error {4}/)
  })

  it('compiles a script with Python and checks what import makes of it', async () => {
    const script = join(dir, 'bad.py')
    writeFileSync(script, 'class Ioc(PVGroup):\n    x = pvproperty(value=1\n')
    const io = capture()
    expect(await main(['check', script], io)).toBe(1)
    expect(io.stdout[0]).toMatch(/^error {4}line 2:\d+: /)
    const fine = capture()
    expect(await main(['check', fixture('strings.py', CORPUS)], fine)).toBe(0)
    expect(fine.stdout).toContainEqual(
      expect.stringMatching(/^warning {2}verbatim\[1\]: kept as written \(line 11\)/),
    )
  })
})

describe('ioc-studio import', () => {
  it('prints the project, or writes it with -o; what it kept as written goes to stderr', async () => {
    const io = capture()
    expect(await main(['import', fixture('subgroups.py', CORPUS)], io)).toBe(0)
    const parsed = parseProjectText(io.stdout.join('\n'))
    expect(parsed.ok && parsed.project.server.className).toBe('Supply')
    expect(io.stderr).toContainEqual(
      'warning  verbatim[1]: class Channel (line 10) kept as written: its PVs are served but not editable',
    )
    const out = join(dir, 'simple.ioc.json')
    const written = capture()
    expect(await main(['import', fixture('simple_server.py', CORPUS), '-o', out], written)).toBe(0)
    expect(written.stderr).toEqual([`Wrote ${out} (4 PVs in the IOC class)`])
    expect(JSON.parse(readFileSync(out, 'utf8')).server.prefix).toBe('simple:')
  })

  it('exit status 1 when the script is not a caproto IOC', async () => {
    const plain = join(dir, 'plain.py')
    writeFileSync(plain, 'print("hello")\n')
    const io = capture()
    expect(await main(['import', plain], io)).toBe(1)
    expect(io.stderr[0]).toBe('ioc-studio import: plain.py defines no PVGroup class: nothing to import')
  })
})

describe('ioc-studio serve <project>', () => {
  it('opens the project before the first browser connects', async () => {
    const renderer = mkdtempSync(join(dir, 'renderer-'))
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>IOC Studio</title>')
    let stop = () => {}
    const env: CliEnvironment = {
      launchCaServer: () => Promise.reject(new Error('no CA server in this test')),
      untilStopped: () => new Promise<void>((resolve) => (stop = resolve)),
    }
    const io = capture()
    const exit = main(['serve', motor, '--port', '0', '--renderer', renderer], io, env)
    await expect.poll(() => io.stdout.join('\n'), { timeout: 10_000 }).toContain('Opened')
    expect(io.stdout).toContainEqual(`Opened ${motor}: Motor simulator`)
    stop()
    expect(await exit).toBe(0)
    const usage = capture()
    expect(await main(['serve', 'notes.txt'], usage)).toBe(2)
    expect(usage.stderr[0]).toMatch(
      /notes\.txt is not a project \(\.ioc\.json\) or a caproto script \(\.py\)/,
    )
  })
})

it('every command has help', async () => {
  for (const command of ['run', 'export', 'import', 'check', 'serve']) {
    const io = capture()
    expect(await main([command, '--help'], io)).toBe(0)
    expect(io.stdout[0]).toMatch(new RegExp(`^Usage: ioc-studio ${command} `))
    expect(io.stdout[0]).toMatch(/Exit status: 0/)
  }
})
