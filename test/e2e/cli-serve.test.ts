/**
 * The `ioc-studio` command as users run it: bin/ioc-studio.js over the built out/main/cli.js, in a child
 * process, configured for the CA server through the EPICS environment like any EPICS tool.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'

const ROOT = join(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/ioc-studio.js')
const CA_PORT = 25090

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      EPICS_CA_SERVER_PORT: String(CA_PORT),
      EPICS_CAS_INTF_ADDR_LIST: '127.0.0.1',
      EPICS_CAS_AUTO_BEACON_ADDR_LIST: 'NO',
      EPICS_CAS_BEACON_ADDR_LIST: '',
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

describe('ioc-studio (the built command)', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'out/main/cli.js'))) {
      throw new Error(
        'out/main/cli.js is missing: `npm test` builds it; alone, run `npx electron-vite build` first',
      )
    }
  })

  it('prints help', async () => {
    const cli = run(['--help'])
    expect(await cli.exited).toBe(0)
    expect(cli.stdout()).toContain('Usage: ioc-studio <command> [options]')
  })

  it('serve prints a URL, serves the app and its API, and stops on Ctrl+C', async () => {
    const cli = run(['serve', '--port', '0'])
    await expect.poll(cli.stdout, { timeout: 10_000 }).toMatch(/serving at http:\/\/127\.0\.0\.1:\d+\/\n/)
    const url = /serving at (\S+)/.exec(cli.stdout())?.[1] as string

    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root"></div>')

    // Start the CA server over the bridge: it must honour EPICS_CA_SERVER_PORT from the environment.
    const ws = new WebSocket(new URL('/bridge', url).href.replace('http:', 'ws:'))
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const reply = new Promise<Record<string, unknown>>((resolve) =>
      ws.once('message', (data) => resolve(JSON.parse(data.toString()))),
    )
    ws.send(JSON.stringify({ type: 'request', id: 1, name: 'startServer', args: [] }))
    expect(await reply).toMatchObject({
      id: 1,
      ok: true,
      result: { state: 'running', tcpPort: CA_PORT, udpPort: CA_PORT, interfaces: ['127.0.0.1'] },
    })
    await expect.poll(cli.stderr).toMatch(/info {2}\[server\] Channel Access server running: TCP port 25090/)
    ws.close()

    cli.child.kill('SIGINT')
    expect(await cli.exited).toBe(0)
    expect(cli.stdout()).toContain('Stopping…')
  })
})
