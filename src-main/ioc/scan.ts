/**
 * The SCAN menu (menuScan.dbd). The IOC stores a PV's scan selection and announces changes; the Python layer
 * turns a periodic selection into a scan loop (caproto's `@pv.scan(use_scan_field=True)`).
 */
export const SCAN_MENU: readonly string[] = Object.freeze([
  'Passive',
  'Event',
  'I/O Intr',
  '10 second',
  '5 second',
  '2 second',
  '1 second',
  '.5 second',
  '.2 second',
  '.1 second',
])

const PERIODS: readonly (number | undefined)[] = [undefined, undefined, undefined, 10, 5, 2, 1, 0.5, 0.2, 0.1]

export interface ScanSetting {
  readonly index: number
  readonly label: string
  /** Seconds between scans, or undefined for Passive, Event and I/O Intr (no periodic scan). */
  readonly periodSeconds: number | undefined
}

export const SCAN_SETTINGS: readonly ScanSetting[] = Object.freeze(
  SCAN_MENU.map((label, index) => Object.freeze({ index, label, periodSeconds: PERIODS[index] })),
)

/** Accepts a menu index, a menu label, or a period in seconds that matches a menu entry (e.g. 0.5). */
export function scanSettingOf(value: number | string): ScanSetting {
  if (typeof value === 'string') {
    const byLabel = SCAN_MENU.indexOf(value)
    if (byLabel >= 0) return SCAN_SETTINGS[byLabel]
    throw new RangeError(`SCAN: ${JSON.stringify(value)} is not one of ${SCAN_MENU.join(', ')}`)
  }
  if (Number.isInteger(value) && value >= 0 && value < SCAN_MENU.length) return SCAN_SETTINGS[value]
  throw new RangeError(`SCAN: ${value} is not a menu index 0..${SCAN_MENU.length - 1}`)
}

/** The menu entry for a scan period in seconds, if the menu has one. */
export function scanSettingForPeriod(periodSeconds: number): ScanSetting | undefined {
  return SCAN_SETTINGS.find((setting) => setting.periodSeconds === periodSeconds)
}
