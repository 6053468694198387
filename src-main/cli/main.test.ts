import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CliIo } from './io'
import { HELP, main } from './main'
import type { CliEnvironment } from './main'

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) }
}

const renderer = mkdtempSync(join(tmpdir(), 'ioc-cli-'))
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>IOC Studio</title>')
afterAll(() => rmSync(renderer, { recursive: true, force: true }))

/** An environment whose "Ctrl+C" the test presses by calling `stop`. */
function environment() {
  let stop = () => {}
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  const env: CliEnvironment = {
    launchCaServer: () => Promise.reject(new Error('no CA server in this test')),
    untilStopped: () => stopped,
  }
  return { env, stop }
}

describe('ioc-studio', () => {
  it('prints help listing the commands', async () => {
    const io = capture()
    expect(await main(['--help'], io)).toBe(0)
    expect(io.stdout.join('\n')).toBe(HELP)
    expect(HELP).toMatch(/^IOC Studio \d+\.\d+\.\d+/)
    expect(HELP).toContain('  serve   serve the app to a web browser')
    expect(await main([], capture())).toBe(2)
  })

  it('prints its version', async () => {
    const io = capture()
    expect(await main(['--version'], io)).toBe(0)
    expect(io.stdout[0]).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('rejects unknown commands and bad options with exit status 2', async () => {
    const io = capture()
    expect(await main(['launch'], io)).toBe(2)
    expect(io.stderr[0]).toMatch(/^ioc-studio: unknown command 'launch'/)
    expect(await main(['toString'], capture())).toBe(2)
    const usage = capture()
    expect(await main(['serve', '--port', 'eighty'], usage)).toBe(2)
    expect(usage.stderr[0]).toMatch(
      /^ioc-studio serve: option '--port' must be a port from 0 to 65535, got 'eighty'/,
    )
    expect(usage.stderr[0]).toContain('Usage: ioc-studio serve [--port N] [--host H]')
  })

  it('serve --help explains the network flag', async () => {
    const io = capture()
    expect(await main(['serve', '--help'], io)).toBe(0)
    expect(io.stdout[0]).toContain('--host H')
    expect(io.stdout[0]).toContain('access token')
  })

  it('serve prints a loopback URL that answers, and stops on request', async () => {
    const io = capture()
    const { env, stop } = environment()
    const exit = main(['serve', '--port', '0', '--renderer', renderer], io, env)
    await expect.poll(() => io.stdout[0] ?? '', { timeout: 5000 }).toMatch(/is serving at/)
    const url = /serving at (\S+)/.exec(io.stdout[0])?.[1] as string
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>IOC Studio</title>')
    stop()
    expect(await exit).toBe(0)
    await expect(fetch(url)).rejects.toThrow()
  })

  it('serve explains a missing build', async () => {
    const io = capture()
    expect(
      await main(['serve', '--port', '0', '--renderer', join(renderer, 'nowhere')], io, environment().env),
    ).toBe(1)
    expect(io.stderr[0]).toMatch(/No built renderer in .*nowhere: run `npm run build` first/)
  })
})
