/**
 * End to end: the built renderer (out/renderer), served by the browser bridge in this process over a real
 * backend, driven in Debian's Chromium. The IOC here is the bare CA server (no Python): this suite is about
 * the shell and its hosts; test/e2e/workbench.test.ts runs real projects. `npm test` builds first; run
 * `npx electron-vite build` before running this file alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caServerLauncher } from '../../src-main/backend'
import { startWebBridge } from '../../src-main/cli/serve/web-bridge'
import { chromium } from '../support/system'
import { expectClean, RENDERER, screenshot, startStudio, VERSION, watch } from './support/studio'
import type { Studio } from './support/studio'
import type { Page } from 'playwright-core'

const CA_PORT = 25080

const serverStatus = (page: Page) => page.getByTestId('server-status')

describe.skipIf(!chromium().available)('the app shell in Chromium', () => {
  let studio: Studio

  beforeAll(async () => {
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
    studio = await startStudio({ launchCaServer })
  })

  afterAll(() => studio?.close())

  it('renders, runs the CA server from the top bar, and stays clean', async () => {
    const context = await studio.browser.newContext({
      viewport: { width: 1440, height: 900 },
      colorScheme: 'light',
    })
    const seen = watch(context)
    const page = await context.newPage()
    await page.goto(studio.bridge.url)

    await expect.poll(() => page.locator('.top-bar').isVisible()).toBe(true)
    await expect.poll(() => serverStatus(page).textContent()).toContain('Stopped')
    await expect.poll(() => page.getByRole('tree').textContent()).toContain('Untitled IOC')
    await expect
      .poll(() =>
        page
          .getByRole('tablist', { name: 'Open editors' })
          .getByRole('tab', { selected: true })
          .textContent(),
      )
      .toBe('PV table')

    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await expect
      .poll(() => serverStatus(page).textContent())
      .toBe(`Running127.0.0.1:${CA_PORT} · 0 PVs · 0 clients`)
    await page.getByRole('tab', { name: 'Log' }).click()
    await expect.poll(() => page.getByTestId('log').textContent()).toContain('Channel Access server running')
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true)

    await page.getByRole('button', { name: 'Restart', exact: true }).click()
    await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running/)
    await page.getByRole('button', { name: 'Stop', exact: true }).click()
    await expect.poll(() => serverStatus(page).textContent()).toContain('Stopped')
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running/)

    await screenshot(page, 'app-shell')
    expectClean(seen)
    await context.close()
  })

  it('carries out menu commands from the host and shows About', async () => {
    const context = await studio.browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'dark',
    })
    const seen = watch(context)
    const page = await context.newPage()
    await page.goto(studio.bridge.url)
    await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running|Stopped/)

    studio.backend.requestCommand('help.about')
    const about = page.getByRole('dialog')
    await expect.poll(() => about.isVisible()).toBe(true)
    const text = await about.textContent()
    expect(text).toContain(`Version ${VERSION}`)
    expect(text).toContain('Browser (ioc-studio serve)')
    expect(text).toContain(process.versions.node)
    await screenshot(page, 'app-shell-about-dark')
    await about.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => about.isVisible()).toBe(false)

    await studio.backend.stopServer()
    studio.backend.requestCommand('server.start')
    await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running/)

    expectClean(seen)
    await context.close()
  })

  it('needs the access token when the bridge has one', async () => {
    const token = 'e2e-token-not-secret'
    const guarded = await startWebBridge({ backend: studio.backend, rendererDir: RENDERER, token })
    try {
      const origin = `http://127.0.0.1:${guarded.port}`
      expect((await fetch(`${origin}/`)).status).toBe(403)
      expect((await fetch(`${origin}/?token=wrong`)).status).toBe(403)

      const context = await studio.browser.newContext()
      const seen = watch(context)
      const refused = await context.newPage()
      expect((await refused.goto(`${origin}/`))?.status()).toBe(403)

      const page = await context.newPage()
      await page.goto(guarded.url)
      await expect.poll(() => serverStatus(page).textContent()).toMatch(/Running|Stopped/)
      await expect.poll(() => page.getByRole('tree').isVisible()).toBe(true)
      expect(seen.failedResponses).toEqual([`403 ${origin}/`])
      expect(seen.foreignRequests).toEqual([])
      await context.close()
    } finally {
      await guarded.close()
    }
  })
})
