/**
 * End to end, the live views: the built renderer (out/renderer) over the browser bridge and a real Backend
 * running a caproto script (the seed put/get queue pattern plus a temperature with alarm limits and a
 * waveform) in Pyodide, served by our CA server, with pyepics (libca) as the client. Driven in Debian's
 * Chromium. `npm test` builds first; alone, run `npx electron-vite build` first.
 *
 * Screenshots go to test-results/screenshots; with UPDATE_SCREENSHOTS=1 they are copied to docs/screenshots.
 * Ports 19600-19601 are this suite's.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import { chromium as playwright } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backend } from '../../src-main/backend'
import { ProjectSession } from '../../src-main/backend/project-session'
import { startWebBridge } from '../../src-main/cli/serve/web-bridge'
import type { WebBridge } from '../../src-main/cli/serve/web-bridge'
import { PyepicsClient } from '../python/support/pyepics-client'
import { CHROMIUM, chromium, pyepics } from '../support/system'

const ROOT = join(import.meta.dirname, '../..')
const RENDERER = join(ROOT, 'out/renderer')
const RESULTS = join(ROOT, 'test-results/screenshots')
const SCREENSHOTS = join(ROOT, 'docs/screenshots')
const CA_PORT = 19600
const REPEATER_PORT = 19601
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

/** The seed pattern (put_queue/get_queue with a router loop), a temperature with alarm limits, a waveform. */
const SCRIPT = `from caproto.server import PVGroup, ioc_arg_parser, pvproperty, run


class LiveDemo(PVGroup):
    running = pvproperty(value=0, doc='1 while the router loop runs')
    val = pvproperty(value=0.0, precision=3, units='mm', doc='set value')
    rbv = pvproperty(value=0.0, read_only=True, precision=3, units='mm', doc='read-back value')
    temp = pvproperty(value=20.0, precision=1, units='degC', lower_alarm_limit=0.0, lower_warning_limit=5.0,
                      upper_warning_limit=30.0, upper_alarm_limit=40.0, doc='temperature')
    wave = pvproperty(value=[0.0, 1.0, 4.0, 9.0, 16.0, 9.0, 4.0, 1.0], max_length=8, doc='waveform')

    @running.startup
    async def running(self, instance, async_lib):
        self.put_queue = async_lib.ThreadsafeQueue()
        self.get_queue = async_lib.ThreadsafeQueue()
        await self.running.write(1)
        while True:
            entry = await self.put_queue.async_get()
            await async_lib.sleep(0.05)
            await self.rbv.write(entry['value'])
            await self.get_queue.async_put({'pv': entry['pv'], 'done': entry['value']})

    @val.putter
    async def val(self, instance, value):
        await self.put_queue.async_put({'pv': 'val', 'value': value})


if __name__ == '__main__':
    ioc_options, run_options = ioc_arg_parser(default_prefix='live:', desc='Live views demo')
    ioc = LiveDemo(**ioc_options)
    run(ioc.pvdb, **run_options)
`

/** Everything the page did that a clean run must not do. */
interface Watch {
  readonly consoleErrors: string[]
  readonly foreignRequests: string[]
}

function watch(context: BrowserContext): Watch {
  const seen: Watch = { consoleErrors: [], foreignRequests: [] }
  context.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text())
  })
  context.on('weberror', (error) => seen.consoleErrors.push(String(error.error())))
  context.on('request', (request) => {
    const url = new URL(request.url())
    const local = url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1'
    if (!local) seen.foreignRequests.push(request.url())
  })
  return seen
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true })
  const path = join(RESULTS, `${name}.png`)
  await page.screenshot({ path })
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(SCREENSHOTS, { recursive: true })
    copyFileSync(path, join(SCREENSHOTS, `${name}.png`))
  }
}

/** The one browser global used inside page.evaluate callbacks (this file is type-checked as Node code). */
declare const getComputedStyle: (element: unknown) => { readonly color: string }

const available = chromium().available && pyepics().available

describe.skipIf(!available)('the live views in Chromium, with pyepics', () => {
  let backend: Backend
  let bridge: WebBridge
  let browser: Browser
  let client: PyepicsClient
  let context: BrowserContext
  let page: Page
  let seen: Watch

  beforeAll(async () => {
    if (!existsSync(join(RENDERER, 'index.html'))) {
      throw new Error(
        'out/renderer is missing: `npm test` builds it; alone, run `npx electron-vite build` first',
      )
    }
    backend = new Backend({
      host: 'browser',
      version: VERSION,
      env: {},
      caConfig: {
        serverPort: CA_PORT,
        interfaces: ['127.0.0.1'],
        autoBeaconAddresses: false,
        beaconAddresses: [{ host: '127.0.0.1', port: REPEATER_PORT }],
      },
    })
    bridge = await startWebBridge({ backend, rendererDir: RENDERER })
    browser = await playwright.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    await backend.openProjectText('live_demo.py', SCRIPT)
    const status = await backend.startServer()
    expect(status.state, status.error ?? '').toBe('running')
    client = new PyepicsClient(CA_PORT, REPEATER_PORT)
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' })
    seen = watch(context)
    page = await context.newPage()
    await page.goto(bridge.url)
  }, 90_000)

  afterAll(async () => {
    client?.close()
    await context?.close()
    await browser?.close()
    await bridge?.close()
    await backend?.dispose()
  })

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const editor = () => page.getByRole('tabpanel', { name: 'Open editor' })
  const row = (pv: string) => editor().locator(`.values-row[data-pv="${pv}"]`)
  const trafficRows = () => editor().getByTestId('traffic-rows').locator('.traffic-row')
  const me = `${userInfo().username}@${hostname()}`

  /** A view of the main area, opened from the sidebar. */
  async function openView(title: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Views' }).getByText(title, { exact: true }).click()
  }

  /** A tab of the bottom panel. */
  async function openPanel(name: string) {
    await page.getByRole('tab', { name, exact: true }).click()
    return page.getByRole('tabpanel', { name })
  }

  it('shows every PV live, with the alarm severity and its colour following the value', async () => {
    await openView('Values')
    const table = editor().getByRole('table', { name: 'PV values' })
    await expect.poll(() => table.locator('.values-body .values-row').count(), { timeout: 15_000 }).toBe(5)
    expect(await row('live:temp').getByTestId('value').textContent()).toBe('20.0')
    expect(await row('live:temp').getAttribute('data-severity')).toBe('NO_ALARM')
    const colour = () =>
      row('live:temp')
        .getByTestId('value')
        .evaluate((cell) => getComputedStyle(cell).color)
    const normal = await colour()

    // A client writes: the table follows, alarms included (HIGH is MINOR, HIHI is MAJOR).
    for (const value of [22, 26, 31, 36]) {
      await client.put('live:temp', value)
      await sleep(120)
    }
    await expect.poll(() => row('live:temp').getAttribute('data-severity')).toBe('MINOR')
    expect(await row('live:temp').locator('.col-status').textContent()).toBe('HIGH')
    const minor = await colour()
    for (const value of [42, 45]) {
      await client.put('live:temp', value)
      await sleep(120)
    }
    await expect.poll(() => row('live:temp').getAttribute('data-severity')).toBe('MAJOR')
    expect(await row('live:temp').getByTestId('value').textContent()).toBe('45.0')
    expect(await row('live:temp').locator('.severity-chip').textContent()).toBe('MAJOR')
    expect(await row('live:temp').locator('.col-status').textContent()).toBe('HIHI')
    const major = await colour()
    expect(new Set([normal, minor, major]).size).toBe(3)
    await expect.poll(() => editor().getByTestId('values-summary').textContent()).toContain('1 in alarm')

    // The readback follows a put through the hooks' queue.
    await client.put('live:val', 1.25)
    await expect.poll(() => row('live:rbv').getByTestId('value').textContent()).toBe('1.250')

    // Filter, then sort by severity.
    await editor().getByLabel('Filter values by PV name').fill('*:r*')
    await expect.poll(() => table.locator('.values-body .values-row').count()).toBe(2)
    await editor().getByLabel('Filter values by PV name').fill('')
    await editor().getByRole('columnheader', { name: 'Severity' }).click()
    await editor().getByRole('columnheader', { name: 'Severity' }).click()
    await expect
      .poll(() => table.locator('.values-body .values-row').first().getAttribute('data-pv'))
      .toBe('live:temp')

    // Trend plots for selected PVs: numbers against time, the waveform against its index.
    await row('live:temp').click()
    await row('live:wave').click({ modifiers: ['Control'] })
    await expect.poll(() => editor().getByRole('img', { name: 'Trend of live:temp' }).count()).toBe(1)
    await expect.poll(() => editor().getByRole('img', { name: 'Elements of live:wave' }).count()).toBe(1)
    for (const value of [38, 44, 37, 33]) {
      await client.put('live:temp', value)
      await sleep(120)
    }
    await expect.poll(() => row('live:temp').getAttribute('data-severity')).toBe('MINOR')
    await editor().getByRole('radio', { name: '10 s' }).click()
    // The bottom panel's Traffic tab follows the same stream.
    const panel = await openPanel('Traffic')
    await expect
      .poll(() => panel.getByTestId('traffic-rows').locator('.traffic-row').count())
      .toBeGreaterThan(2)
    await sleep(300)
    await screenshot(page, 'live-values')
    await editor().getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => editor().getByRole('button', { name: 'Resume' }).count()).toBe(1)
    await editor().getByRole('button', { name: 'Resume' }).click()
  })

  it('writes a value from the table through the CA put path, as the studio', async () => {
    await row('live:val').getByTestId('value').dblclick()
    const input = editor().getByLabel('New value for live:val')
    await input.fill('2.5')
    await input.press('Enter')
    await expect.poll(() => client.value('live:val')).toBe(2.5)
    // The putter ran: the router copied it to the readback.
    await expect.poll(() => client.value('live:rbv')).toBe(2.5)

    // A value the PV cannot take fails like a CA put would, and says why.
    await row('live:val').getByTestId('value').dblclick()
    await editor().getByLabel('New value for live:val').fill('not a number')
    await editor().getByLabel('New value for live:val').press('Enter')
    await expect
      .poll(() => editor().getByRole('alert').textContent())
      .toMatch(/live:val.*ECA_PUTFAIL.*not a number/)
    await editor().getByLabel('New value for live:val').press('Escape')
    await editor().getByRole('alert').getByRole('button', { name: 'Dismiss' }).click()
  })

  it('logs the traffic: client identity, old -> new values, filters, details, export, put log', async () => {
    await client.put('live:val', 3.75)
    // The inspector in the main area (the bottom panel shows the log meanwhile).
    await openPanel('Log')
    await openView('Traffic inspector')
    await editor().getByLabel('Filter by PV').fill('live:val')
    const pyepicsPut = trafficRows().filter({ hasText: me }).filter({ hasText: '2.5 → 3.75' })
    await expect.poll(() => pyepicsPut.count(), { timeout: 10_000 }).toBe(1)
    expect(await pyepicsPut.getAttribute('data-op')).toBe('put-done')
    expect(await pyepicsPut.textContent()).toContain('live:val')
    const studioPut = trafficRows().filter({ hasText: 'IOC Studio' }).filter({ hasText: '1.25 → 2.5' })
    await expect.poll(() => studioPut.count()).toBe(1)
    expect(await trafficRows().filter({ hasText: 'IOC Studio' }).filter({ hasText: 'PUTFAIL' }).count()).toBe(
      1,
    )

    // Details of the client's put.
    await pyepicsPut.click()
    const details = editor().getByRole('complementary', { name: 'Operation details' })
    await expect.poll(() => details.textContent()).toContain('Old value2.5')
    const detailText = await details.textContent()
    expect(detailText).toContain('New value3.75')
    expect(detailText).toContain(`User${userInfo().username}`)
    expect(detailText).toContain(`Host${hostname()}`)
    expect(detailText).toContain('DBR typeDBR_DOUBLE')
    expect(detailText).toContain('StatusECA_NORMAL')
    await screenshot(page, 'live-traffic')

    // Filters: PV pattern, operation, client, errors only.
    await editor().getByLabel('Filter by PV').fill('live:temp')
    await expect
      .poll(async () => (await trafficRows().allTextContents()).every((t) => t.includes('live:temp')))
      .toBe(true)
    expect(await trafficRows().count()).toBeGreaterThan(5)
    await editor().getByLabel('Filter by PV').fill('')
    await editor().getByLabel('Filter by operation').selectOption('put-done')
    await expect
      .poll(async () =>
        (await trafficRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-op')))).every(
          (op) => op === 'put-done',
        ),
      )
      .toBe(true)
    await editor().getByLabel('Filter by operation').selectOption('')
    await editor().getByLabel('Errors only').check()
    await expect.poll(() => trafficRows().count()).toBe(1)
    expect(await trafficRows().first().getAttribute('data-ok')).toBe('false')
    await editor().getByLabel('Errors only').uncheck()
    // The studio is root@host too: pick the pyepics circuit, which names its address.
    const pyepicsKey = await editor()
      .getByLabel('Filter by client')
      .locator('option', { hasText: `${me} (127.0.0.1:` })
      .getAttribute('value')
    expect(pyepicsKey).toMatch(/^c\d+$/)
    await editor().getByLabel('Filter by client').selectOption(pyepicsKey!)
    await expect
      .poll(async () => (await trafficRows().allTextContents()).every((t) => t.includes(me)))
      .toBe(true)

    // Export what is shown: CSV and JSON.
    const shown = await editor().getByTestId('traffic-counts').textContent()
    const count = Number(/([\d,]+) shown/.exec(shown ?? '')![1].replace(/,/g, ''))
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      editor().getByRole('button', { name: 'Export CSV' }).click(),
    ])
    expect(csv.suggestedFilename()).toMatch(/^traffic-.*\.csv$/)
    const csvLines = readFileSync((await csv.path())!, 'utf8')
      .trimEnd()
      .split('\r\n')
    expect(csvLines[0]).toMatch(/^seq,time,op,pv,client,address,host,user,/)
    expect(csvLines).toHaveLength(count + 1)
    expect(csvLines.some((line) => line.includes('put-done,live:val') && line.includes(',2.5,3.75,'))).toBe(
      true,
    )
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      editor().getByRole('button', { name: 'Export JSON' }).click(),
    ])
    const exported = JSON.parse(readFileSync((await json.path())!, 'utf8')) as Record<string, unknown>[]
    expect(exported).toHaveLength(count)
    expect(exported.every((e) => e.user === userInfo().username && e.host === hostname())).toBe(true)
    await editor().getByLabel('Filter by client').selectOption('')

    // Scrolling up stops following the tail (a virtualized list of every row); Follow comes back to it.
    const follow = editor().getByRole('button', { name: 'Follow' })
    expect(await follow.getAttribute('aria-pressed')).toBe('true')
    await editor().getByTestId('traffic-rows').hover()
    await page.mouse.wheel(0, -400)
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('false')
    await page.mouse.wheel(0, -400)
    // At the top: the first thing the IOC did, its startup hook writing `running`.
    await expect.poll(() => trafficRows().first().textContent()).toContain('live:running')
    await follow.click()
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('true')

    // Pause holds the list still; Resume catches up.
    await editor().getByRole('button', { name: 'Pause' }).click()
    const before = await trafficRows().count()
    await client.put('live:val', 4.5)
    await expect.poll(() => editor().getByTestId('traffic-counts').textContent()).toMatch(/Paused: \d+ new/)
    expect(await trafficRows().count()).toBe(before)
    expect(await trafficRows().filter({ hasText: '3.75 → 4.5' }).count()).toBe(0)
    await editor().getByRole('button', { name: 'Resume' }).click()
    await expect
      .poll(() => trafficRows().filter({ hasText: '3.75 → 4.5' }).filter({ hasText: 'live:val' }).count())
      .toBe(1)

    // The put log: who, when, PV, old, new.
    await editor().getByRole('tab', { name: 'Put log' }).click()
    const putLog = editor().getByTestId('put-log')
    await expect.poll(() => putLog.textContent()).toContain('3.75')
    const entries = await putLog.locator('.put-row').allTextContents()
    expect(
      entries.some(
        (e) => e.includes(me) && e.includes('live:val') && e.includes('3.75') && e.includes('4.5'),
      ),
    ).toBe(true)
    expect(entries.some((e) => e.includes('IOC Studio') && e.includes('2.5'))).toBe(true)
    await editor().getByRole('tab', { name: 'Operations' }).click()
  })

  it("shows the seed pattern's put queue filling as a client writes", async () => {
    await openView('Queues')
    const valRow = editor().getByTestId('pv-queues').locator('tr[data-pv="live:val"]')
    const puts = async () => Number((await valRow.locator('td').nth(4).textContent())?.replace(/,/g, ''))
    await expect.poll(() => valRow.count()).toBe(1)
    const before = await puts()
    for (const value of [5, 6, 7]) await client.put('live:val', value, false)
    const card = editor().locator('.queue-card[data-queue="live:put_queue"]')
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1)
    // Each put went through the putter into the queue, in order.
    const puts7 = () =>
      card
        .locator('.queue-entries li[data-op="put"] .entry-text')
        .allTextContents()
        .then((entries) => entries.filter((e) => /'value': [567]\.0/.test(e)).reverse())
    await expect
      .poll(puts7)
      .toEqual(["{'pv': 'val', 'value': 5.0}", "{'pv': 'val', 'value': 6.0}", "{'pv': 'val', 'value': 7.0}"])
    expect(await card.textContent()).toMatch(/in \d+ · out \d+/)
    expect(await editor().locator('.queue-card[data-queue="live:get_queue"]').count()).toBe(1)
    // The PV's own put counter follows within the counters' interval.
    await expect.poll(puts).toBeGreaterThanOrEqual(before + 3)
    await expect.poll(() => client.value('live:rbv')).toBe(7)
    await screenshot(page, 'live-queues')
  })

  it('lists the clients with their channels, and disconnects one: pyepics sees it', async () => {
    // The live feed reaches the CA server's clients through the project session (see liveSourceOfSession).
    expect(
      typeof (ProjectSession.prototype as { clients?: unknown }).clients,
      'ProjectSession needs clients() and disconnectClient(circuitId) for the Clients view',
    ).toBe('function')
    await openView('Clients')
    const clients = editor().getByTestId('clients')
    const mine = clients.locator('tbody tr').filter({ hasText: userInfo().username })
    await expect.poll(() => mine.count(), { timeout: 10_000 }).toBe(1)
    const text = await mine.textContent()
    expect(text).toContain(hostname())
    expect(text).toContain('127.0.0.1:')
    expect(text).toContain('CA 4.13')
    await mine.click()
    const channels = editor().getByRole('complementary', { name: /Channels of/ })
    await expect.poll(() => channels.textContent()).toContain('live:val')
    expect(await channels.textContent()).toContain('live:temp')
    await screenshot(page, 'live-clients')

    expect(await client.connections('live:val')).toEqual([true])
    await mine.getByRole('button', { name: /^Disconnect/ }).click()
    await expect.poll(() => editor().getByRole('status').textContent()).toContain('Disconnected')
    await expect.poll(() => client.connections('live:val'), { timeout: 10_000 }).toContain(false)
    // libca reconnects by itself, as it would to a restarted IOC.
    await expect.poll(() => client.value('live:val'), { timeout: 15_000 }).toBe(7)

    expect(seen.consoleErrors).toEqual([])
    expect(seen.foreignRequests).toEqual([])
  })

  it('reads well in the dark theme, with the bottom panel following the same stream', async () => {
    const dark = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' })
    const darkSeen = watch(dark)
    const other = await dark.newPage()
    await other.goto(bridge.url)
    await other.getByRole('navigation', { name: 'Views' }).getByText('Values', { exact: true }).click()
    const temp = other
      .getByRole('tabpanel', { name: 'Open editor' })
      .locator('.values-row[data-pv="live:temp"]')
    await expect.poll(() => temp.count(), { timeout: 15_000 }).toBe(1)
    await temp.click()
    await other.getByRole('tab', { name: 'Queues', exact: true }).click()
    for (const value of [31, 36, 41, 37, 29]) {
      await client.put('live:temp', value)
      await sleep(150)
    }
    await expect.poll(() => temp.getAttribute('data-severity')).toBe('NO_ALARM')
    await expect
      .poll(() => other.getByRole('tabpanel', { name: 'Queues' }).locator('tr[data-pv="live:temp"]').count())
      .toBe(1)
    // The PV tree's alarm dots follow a few times a second.
    await sleep(400)
    await screenshot(other, 'live-values-dark')
    expect(darkSeen.consoleErrors).toEqual([])
    await dark.close()
  })
})
