import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readJsonFile, writeJsonFile } from './json-file'
import { DEFAULT_SIZE, parseWindowState, placeWindow } from './window-state'
import type { Rectangle, WindowState } from './window-state'

// A laptop screen with a macOS-style menu bar, and an external monitor to its right.
const laptop: Rectangle = { x: 0, y: 25, width: 1440, height: 875 }
const monitor: Rectangle = { x: 1440, y: 0, width: 2560, height: 1440 }

const state = (x: number, y: number, width: number, height: number, maximized = false): WindowState => ({
  bounds: { x, y, width, height },
  maximized,
})

describe('placeWindow', () => {
  it('centres the default size on the primary display the first time', () => {
    expect(placeWindow(null, [laptop, monitor])).toEqual(
      state(
        Math.round((1440 - DEFAULT_SIZE.width) / 2),
        25 + Math.round((875 - DEFAULT_SIZE.height) / 2),
        DEFAULT_SIZE.width,
        DEFAULT_SIZE.height,
      ),
    )
  })

  it('keeps a window that fits where it was, on either display', () => {
    expect(placeWindow(state(100, 80, 1000, 700), [laptop, monitor])).toEqual(state(100, 80, 1000, 700))
    expect(placeWindow(state(2000, 300, 1600, 1000, true), [laptop, monitor])).toEqual(
      state(2000, 300, 1600, 1000, true),
    )
  })

  it('brings back a window whose monitor was unplugged, keeping its size', () => {
    const placed = placeWindow(state(2000, 300, 1200, 800), [laptop])
    expect(placed).toEqual(state(120, 25 + 38, 1200, 800))
  })

  it('shrinks a window saved on the big monitor to fit the laptop', () => {
    expect(placeWindow(state(1500, 100, 2400, 1300), [laptop])).toEqual(state(0, 25, 1440, 875))
  })

  it('pulls a window hanging off an edge back inside the display it mostly covers', () => {
    // Mostly on the monitor, partly above its top and past its right edge.
    expect(placeWindow(state(3000, -200, 1200, 800), [laptop, monitor])).toEqual(state(2800, 0, 1200, 800))
    // Under the macOS menu bar: moved down to the work area.
    expect(placeWindow(state(10, 0, 800, 600), [laptop, monitor])).toEqual(state(10, 25, 800, 600))
  })

  it('rounds fractional bounds (scaled displays report them)', () => {
    expect(placeWindow(state(100.4, 80.6, 1000.5, 700.2), [laptop])).toEqual(state(100, 81, 1001, 700))
  })
})

describe('parseWindowState', () => {
  it('accepts a saved state and nothing else', () => {
    expect(parseWindowState({ bounds: { x: -5, y: 10, width: 800, height: 600 }, maximized: true })).toEqual(
      state(-5, 10, 800, 600, true),
    )
    expect(parseWindowState({ bounds: { x: 1, y: 2, width: 3, height: 4 } })).toEqual(state(1, 2, 3, 4))
    for (const bad of [
      undefined,
      null,
      42,
      'x',
      {},
      { bounds: null },
      { bounds: { x: 0, y: 0, width: 0, height: 600 } },
      { bounds: { x: 0, y: 0, width: 800, height: -1 } },
      { bounds: { x: '0', y: 0, width: 800, height: 600 } },
      { bounds: { x: 0, y: Number.NaN, width: 800, height: 600 } },
    ]) {
      expect(parseWindowState(bad)).toBeNull()
    }
  })
})

describe('saved in userData', () => {
  let dir: string | undefined
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }))

  it('survives a round trip through the JSON file, and a corrupt file reads as nothing saved', () => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-window-state-'))
    const file = join(dir, 'nested', 'window-state.json')
    expect(parseWindowState(readJsonFile(file))).toBeNull()
    writeJsonFile(file, state(10, 20, 900, 700, true))
    expect(parseWindowState(readJsonFile(file))).toEqual(state(10, 20, 900, 700, true))
    writeFileSync(file, '{"bounds": {"x": 1')
    expect(readJsonFile(file)).toBeUndefined()
  })
})
