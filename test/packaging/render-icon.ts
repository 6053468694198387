/**
 * Rasterizes resources/icon.svg into the PNGs the app and electron-builder use, with Debian's Chromium:
 *   resources/icon.png        512 x 512   (window icon at run time)
 *   resources/build/icon.png  1024 x 1024 (electron-builder derives the .icns, .ico and Linux sizes from it)
 * Run after editing the SVG: `npx tsx test/packaging/render-icon.ts`, then commit the PNGs.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM } from '../support/system'

const root = resolve(import.meta.dirname, '../..')
const svg = readFileSync(resolve(root, 'resources/icon.svg'), 'utf8')
const targets = [
  { size: 512, file: 'resources/icon.png' },
  { size: 1024, file: 'resources/build/icon.png' },
]

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
try {
  for (const { size, file } of targets) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 })
    const scaled = svg.replace(/width="1024" height="1024"/, `width="${size}" height="${size}"`)
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block}</style>${scaled}`,
    )
    await page.screenshot({ path: resolve(root, file), omitBackground: true })
    await page.close()
    console.log(`${file}: ${size}x${size}`)
  }
} finally {
  await browser.close()
}
