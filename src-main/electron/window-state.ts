/**
 * Where the main window opens: the size and position it had when it last closed, moved back onto a screen if
 * that screen is gone (a laptop undocked from its monitor) and shrunk to fit a smaller one. Pure functions
 * over rectangles; main.ts reads the work areas from Electron's `screen` and the state from userData.
 */

export interface Rectangle {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface WindowState {
  /** The window's normal (not maximized) bounds. */
  readonly bounds: Rectangle
  readonly maximized: boolean
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const
export const MIN_SIZE = { width: 720, height: 480 } as const

/** Accepts what `readJsonFile` returned if it is a usable state; anything else is ignored. */
export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null
  const { bounds, maximized } = value as Record<string, unknown>
  if (typeof bounds !== 'object' || bounds === null) return null
  const { x, y, width, height } = bounds as Record<string, unknown>
  const finite = [x, y, width, height].every((n) => typeof n === 'number' && Number.isFinite(n))
  if (!finite || (width as number) <= 0 || (height as number) <= 0) return null
  return {
    bounds: { x: x as number, y: y as number, width: width as number, height: height as number },
    maximized: maximized === true,
  }
}

/**
 * The state to open with. `workAreas` are the displays' usable areas, primary first. A saved window goes to
 * the display it overlaps most (the primary when it overlaps none) and is moved and shrunk until it lies fully
 * inside; with nothing saved the window is centred on the primary display.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rectangle[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE }
  if (!saved) return { bounds: centred(DEFAULT_SIZE, primary), maximized: false }
  let target = primary
  let best = 0
  for (const area of workAreas) {
    const overlap = overlapArea(saved.bounds, area)
    if (overlap > best) {
      best = overlap
      target = area
    }
  }
  const width = clamp(Math.round(saved.bounds.width), Math.min(MIN_SIZE.width, target.width), target.width)
  const height = clamp(
    Math.round(saved.bounds.height),
    Math.min(MIN_SIZE.height, target.height),
    target.height,
  )
  if (best === 0) return { bounds: centred({ width, height }, target), maximized: saved.maximized }
  return {
    bounds: {
      x: clamp(Math.round(saved.bounds.x), target.x, target.x + target.width - width),
      y: clamp(Math.round(saved.bounds.y), target.y, target.y + target.height - height),
      width,
      height,
    },
    maximized: saved.maximized,
  }
}

function centred(size: { width: number; height: number }, area: Rectangle): Rectangle {
  const width = Math.min(size.width, area.width)
  const height = Math.min(size.height, area.height)
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  }
}

function overlapArea(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max)
}
