/**
 * End to end: the built renderer (out/renderer), served by the browser bridge in this process over a real
 * backend, driven in Debian's Chromium. `npm test` builds first; run `npx electron-vite build` before running
 * this file alone.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium as playwright } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backend, caServerLauncher } from '../../src-main/backend'
import { startWebBridge } from '../../src-main/cli/serve/web-bridge'
import type { WebBridge } from '../../src-main/cli/serve/web-bridge'
import { CHROMIUM, chromium } from '../support/system'

const ROOT = join(import.meta.dirname, '../..')
const RENDERER = join(ROOT, 'out/renderer')
const SCREENSHOTS = join(ROOT, 'docs/screenshots')
const CA_PORT = 25080
const { version: VERSION } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string
}
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Everything the page did that a clean run must not do. */
interface Watch {
  readonly consoleErrors: string[]
  readonly foreignRequests: string[]
  readonly failedResponses: string[]
}

function watch(context: BrowserContext): Watch {
  const seen: Watch = { consoleErrors: [], foreignRequests: [], failedResponses: [] }
  context.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text())
  })
  context.on('weberror', (error) => seen.consoleErrors.push(String(error.error())))
  context.on('request', (request) => {
    const url = new URL(request.url())
    const local = url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1'
    if (!local) seen.foreignRequests.push(request.url())
  })
  context.on('response', (response) => {
    if (response.status() >= 400) seen.failedResponses.push(`${response.status()} ${response.url()}`)
  })
  return seen
}

const serverStatus = (page: Page) => page.getByTestId('server-status')

/** Python colouring loads lazily: wait until the editor shows several token colours before a screenshot. */
async function editorColoured(page: Page): Promise<void> {
  const colours = () =>
    page
      .locator('.monaco-editor .view-lines span[class*="mtk"]')
      .evaluateAll((spans) => new Set(spans.map((s) => s.className)).size)
  await expect.poll(colours, { timeout: 15_000 }).toBeGreaterThan(3)
}

describe.skipIf(!chromium().available)('the app shell in Chromium', () => {
  let backend: Backend
  let bridge: WebBridge
  let browser: Browser

  beforeAll(async () => {
    if (!existsSync(join(RENDERER, 'index.html'))) {
      throw new Error(
        'out/renderer is missing: `npm test` builds it; alone, run `npx electron-vite build` first',
      )
    }
    // Our real CA engine, on loopback and a port of its own, with no beacons leaving the machine.
    const launchCaServer = caServerLauncher({
      env: {},
      config: {
        serverPort: CA_PORT,
        interfaces: ['127.0.0.1'],
        autoBeaconAddresses: false,
        beaconAddresses: [],
      },
    })
    backend = new Backend({ host: 'browser', version: VERSION, launchCaServer })
    bridge = await startWebBridge({ backend, rendererDir: RENDERER })
    browser = await playwright.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  })

  afterAll(async () => {
    await browser?.close()
    await bridge?.close()
    await backend?.dispose()
  })

  it('renders, runs the CA server from the top bar, and stays clean', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' })
    const seen = watch(context)
    const page = await context.newPage()
    await page.goto(bridge.url)

    await expect.poll(() => page.locator('.top-bar').isVisible()).toBe(true)
    await expect.poll(() => serverStatus(page).textContent()).toContain('Stopped')
    await expect
      .poll(() => page.locator('.monaco-editor .view-lines').textContent(), { timeout: 15_000 })
      .toContain('class\u00a0Thermostat(PVGroup):')

    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await expect
      .poll(() => serverStatus(page).textContent())
      .toMatch(/Running\s*TCP \d+ · UDP \d+ · 0 clients/)
    expect(await serverStatus(page).textContent()).toContain(`TCP ${CA_PORT} · UDP ${CA_PORT}`)
    await expect.poll(() => page.getByTestId('log').textContent()).toContain('Channel Access server running')
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true)

    await page.getByRole('button', { name: 'Restart' }).click()
    await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running/)
    await page.getByRole('button', { name: 'Stop' }).click()
    await expect.poll(() => serverStatus(page).textContent()).toContain('Stopped')
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running/)

    mkdirSync(SCREENSHOTS, { recursive: true })
    await editorColoured(page)
    await page.screenshot({ path: join(SCREENSHOTS, 'app-shell.png') })

    expect(seen.consoleErrors).toEqual([])
    expect(seen.foreignRequests).toEqual([])
    expect(seen.failedResponses).toEqual([])
    await context.close()
  })

  it('carries out menu commands from the host and shows About', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })
    const seen = watch(context)
    const page = await context.newPage()
    await page.goto(bridge.url)
    await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running|Stopped/)

    backend.requestCommand('help.about')
    const about = page.getByRole('dialog')
    await expect.poll(() => about.isVisible()).toBe(true)
    const text = await about.textContent()
    expect(text).toContain(`Version ${VERSION}`)
    expect(text).toContain('Browser (ioc-studio serve)')
    expect(text).toContain(process.versions.node)
    await editorColoured(page)
    await page.screenshot({ path: join(SCREENSHOTS, 'app-shell-about-dark.png') })
    await about.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => about.isVisible()).toBe(false)

    await backend.stopServer()
    backend.requestCommand('server.start')
    await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running/)

    expect(seen.consoleErrors).toEqual([])
    expect(seen.foreignRequests).toEqual([])
    expect(seen.failedResponses).toEqual([])
    await context.close()
  })

  it('needs the access token when the bridge has one', async () => {
    const token = 'e2e-token-not-secret'
    const guarded = await startWebBridge({ backend, rendererDir: RENDERER, token })
    try {
      const origin = `http://127.0.0.1:${guarded.port}`
      expect((await fetch(`${origin}/`)).status).toBe(403)
      expect((await fetch(`${origin}/?token=wrong`)).status).toBe(403)

      const context = await browser.newContext()
      const seen = watch(context)
      const refused = await context.newPage()
      expect((await refused.goto(`${origin}/`))?.status()).toBe(403)

      const page = await context.newPage()
      await page.goto(guarded.url)
      await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running|Stopped/)
      await expect.poll(() => page.locator('.monaco-editor').count(), { timeout: 15_000 }).toBe(1)
      expect(seen.failedResponses).toEqual([`403 ${origin}/`])
      expect(seen.foreignRequests).toEqual([])
      await context.close()
    } finally {
      await guarded.close()
    }
  })
})
