/**
 * What every end-to-end suite needs: the built renderer (out/renderer) served by the browser bridge over a
 * real Backend in this process, Debian's Chromium driven by playwright-core, a watch for anything a clean
 * run must not do, and screenshots. Screenshots go to test-results/screenshots; with UPDATE_SCREENSHOTS=1
 * they are also copied to docs/screenshots (so ordinary runs never dirty the tree).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium as playwright } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { Backend } from '../../../src-main/backend'
import type { BackendOptions } from '../../../src-main/backend'
import { startWebBridge } from '../../../src-main/cli/serve/web-bridge'
import type { WebBridge } from '../../../src-main/cli/serve/web-bridge'
import { CHROMIUM } from '../../support/system'

export const ROOT = join(import.meta.dirname, '../../..')
export const RENDERER = join(ROOT, 'out/renderer')
const RESULTS = join(ROOT, 'test-results/screenshots')
const DOCS = join(ROOT, 'docs/screenshots')
export const { version: VERSION } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Everything the page did that a clean run must not do. */
export interface Watch {
  readonly consoleErrors: string[]
  readonly foreignRequests: string[]
  readonly failedResponses: string[]
}

export function watch(context: BrowserContext): Watch {
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

export function expectClean(seen: Watch): void {
  expect(seen.consoleErrors).toEqual([])
  expect(seen.foreignRequests).toEqual([])
  expect(seen.failedResponses).toEqual([])
}

export function requireBuild(): void {
  if (!existsSync(join(RENDERER, 'index.html'))) {
    throw new Error(
      'out/renderer is missing: `npm test` builds it; alone, run `npx electron-vite build` first',
    )
  }
}

export interface Studio {
  readonly backend: Backend
  readonly bridge: WebBridge
  readonly browser: Browser
  close(): Promise<void>
}

export async function startStudio(options: Omit<BackendOptions, 'host' | 'version'>): Promise<Studio> {
  requireBuild()
  const backend = new Backend({ host: 'browser', version: VERSION, ...options })
  const bridge = await startWebBridge({ backend, rendererDir: RENDERER })
  const browser = await playwright.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  return {
    backend,
    bridge,
    browser,
    close: async () => {
      await browser.close()
      await bridge.close()
      await backend.dispose()
    },
  }
}

/** Saves a screenshot under test-results/screenshots, and into docs/screenshots with UPDATE_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true })
  const file = join(RESULTS, `${name}.png`)
  await page.screenshot({ path: file })
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true })
    copyFileSync(file, join(DOCS, `${name}.png`))
  }
}

/** Python colouring loads lazily: wait until an editor shows several token colours before a screenshot. */
export async function editorColoured(page: Page): Promise<void> {
  const colours = () =>
    page
      .locator('.monaco-editor .view-lines span[class*="mtk"]')
      .evaluateAll((spans) => new Set(spans.map((s) => s.className)).size)
  await expect.poll(colours, { timeout: 15_000 }).toBeGreaterThan(3)
}

/** The text a Monaco editor shows (Monaco renders spaces as U+00A0). */
export async function editorText(
  page: Page,
  scope = page.locator('.monaco-editor').first(),
): Promise<string> {
  const text = (await scope.locator('.view-lines').textContent()) ?? ''
  return text.replaceAll('\u00a0', ' ')
}
