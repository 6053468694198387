/**
 * Autosave: the values of the PVs a project marks `autosave` are written beside the project periodically and
 * when the IOC stops, and restored when it starts. The file is caproto's autosave helper format, so either can
 * read what the other wrote:
 *
 *   { "<full PV name>": { "value": <value>, "fields": {} }, ... }
 *
 * Values are what caproto's `ChannelData.value` holds: numbers, lists of numbers, text, and an enum's state
 * label. Restoring writes each value through the PV's putter (as caproto does); a PV that is gone, or a value
 * the PV refuses, is reported and skipped. Saving replaces the file atomically (write a temporary file, rename).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { LogLevel } from '@shared/api/contract'
import type { Disposable } from '@shared/base/event'
import { ecaSucceeded } from '../ca'
import type { IocPv, PvDatabase } from '../ioc'

export type AutosaveData = Record<string, { value: unknown; fields?: Record<string, unknown> }>

/** caproto saves every 30 s. */
export const DEFAULT_AUTOSAVE_PERIOD_MS = 30_000

/** `dir/motor.ioc.json` (or `dir/motor.py`) -> `dir/motor.autosave.json`. */
export function autosavePathFor(projectPath: string): string {
  return `${projectPath.replace(/(\.ioc)?\.json$|\.py$/i, '')}.autosave.json`
}

/** One PV's value as caproto's autosave stores it. */
export function autosaveValueOf(pv: IocPv): unknown {
  const { spec } = pv
  const value = pv.value
  if (spec.type === 'ENUM' && typeof value === 'number') return spec.enumStrings?.[value] ?? value
  return value
}

export function autosaveSnapshot(pvs: readonly IocPv[]): AutosaveData {
  const data: AutosaveData = {}
  for (const pv of pvs) data[pv.name] = { value: autosaveValueOf(pv), fields: {} }
  return data
}

/** Parses an autosave file's text; throws an Error saying what is wrong with it. */
export function parseAutosaveData(text: string): AutosaveData {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new Error(`not JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error })
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('expected an object of PV names')
  }
  for (const [name, entry] of Object.entries(parsed)) {
    if (entry === null || typeof entry !== 'object' || !('value' in entry)) {
      throw new Error(`${JSON.stringify(name)}: expected { "value": … }`)
    }
  }
  return parsed as AutosaveData
}

export interface AutosaveOptions {
  readonly database: PvDatabase
  /** The autosave file (see autosavePathFor). */
  readonly path: string
  /** Full names of the PVs to save. */
  readonly pvNames: readonly string[]
  readonly periodMs?: number
  readonly log: (level: LogLevel, message: string) => void
}

export interface RestoreReport {
  readonly restored: readonly string[]
  /** In the file, but not served (or not marked autosave any more). */
  readonly skipped: readonly string[]
  /** Refused by the PV (type, limits, the putter). */
  readonly failed: readonly string[]
}

export class Autosave implements Disposable {
  private timer: ReturnType<typeof setInterval> | undefined
  private names: readonly string[]

  constructor(private readonly options: AutosaveOptions) {
    this.names = options.pvNames
  }

  get path(): string {
    return this.options.path
  }

  /** After a hot reload: the PVs marked autosave now. */
  setPvNames(names: readonly string[]): void {
    this.names = names
  }

  /** Writes the saved values into the PVs (through their putters). A missing file is not an error. */
  async restore(): Promise<RestoreReport> {
    const { database, path, log } = this.options
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        log('warn', `Autosave file ${path} could not be read: ${(error as Error).message}`)
      }
      return { restored: [], skipped: [], failed: [] }
    }
    let data: AutosaveData
    try {
      data = parseAutosaveData(text)
    } catch (error) {
      log('error', `Autosave file ${path} is not usable, nothing restored: ${(error as Error).message}`)
      return { restored: [], skipped: [], failed: [] }
    }
    const wanted = new Set(this.names)
    const restored: string[] = []
    const skipped: string[] = []
    const failed: string[] = []
    for (const [name, entry] of Object.entries(data)) {
      const pv = wanted.has(name) ? database.get(name) : undefined
      if (!pv) {
        skipped.push(name)
        continue
      }
      let message: string | undefined
      try {
        const outcome = await pv.put(entry.value)
        if (!ecaSucceeded(outcome.status)) message = outcome.message ?? `status ${outcome.status}`
      } catch (error) {
        message = error instanceof Error ? error.message : String(error)
      }
      if (message === undefined) restored.push(name)
      else {
        failed.push(name)
        log('warn', `Autosave: ${name} not restored: ${message}`)
      }
    }
    if (skipped.length > 0) {
      log(
        'info',
        `Autosave: ${skipped.length} saved PV(s) not restored (not served or not autosaved): ${skipped.join(', ')}`,
      )
    }
    log('info', `Autosave: restored ${restored.length} PV(s) from ${path}`)
    return { restored, skipped, failed }
  }

  /** Writes the current values now. Returns false (and logs why) when the file could not be written. */
  save(): boolean {
    const { database, path, log } = this.options
    const pvs = this.names.map((name) => database.get(name)).filter((pv): pv is IocPv => pv !== undefined)
    const temporary = `${path}.${process.pid}.tmp`
    try {
      writeFileSync(temporary, `${JSON.stringify(autosaveSnapshot(pvs), null, 2)}\n`)
      renameSync(temporary, path)
      return true
    } catch (error) {
      log('error', `Autosave: could not write ${path}: ${(error as Error).message}`)
      return false
    }
  }

  /** Saves every period until disposed. */
  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.save(), this.options.periodMs ?? DEFAULT_AUTOSAVE_PERIOD_MS)
    this.timer.unref()
  }

  /** Stops the periodic saves (it does not save: call save() first when stopping). */
  dispose(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }
}
