/**
 * PV descriptions and latest values for the Values table, updates per second, and a trend history for every
 * scalar number (kept short; longer for the PVs being plotted). Mutable and outside React state: the store's
 * version counters say when to look again.
 */
import { liveNumber } from '@shared/api/live'
import type { LivePvInfo, LiveValue } from '@shared/api/live'
import { SampleRing } from './sample-ring'

/** Samples kept per PV while it is not plotted (30 s at 10 Hz), and while it is. */
export const TREND_SAMPLES = 300
export const PLOTTED_TREND_SAMPLES = 20_000

export function isTrendable(info: LivePvInfo): boolean {
  return info.maxLength === 1 && !info.longString && info.type !== 'STRING'
}

export function isArray(info: LivePvInfo): boolean {
  return info.maxLength > 1 && !info.longString
}

interface Rate {
  changes: number
  perSecond: number
}

export class ValuesModel {
  readonly infos = new Map<string, LivePvInfo>()
  readonly values = new Map<string, LiveValue>()
  private readonly rates = new Map<string, Rate>()
  private readonly trends = new Map<string, SampleRing>()
  private readonly plotted = new Set<string>()
  private rateWindowStart = 0
  /** PV names in definition order. */
  names: string[] = []
  /** Set when a PV's alarm severity changed (or PVs came or went) since `takeAlarmChanges`. */
  private alarmsChanged = false

  reset(infos: readonly LivePvInfo[], values: readonly LiveValue[], now: number): void {
    this.infos.clear()
    this.values.clear()
    this.rates.clear()
    this.trends.clear()
    for (const info of infos) this.infos.set(info.name, info)
    this.names = infos.map((info) => info.name)
    this.rateWindowStart = now
    this.alarmsChanged = true
    this.applyValues(values)
  }

  /** PVs added or redefined, and removed; returns true when the list of names changed. */
  applyPvs(upsert: readonly LivePvInfo[], removed: readonly string[]): boolean {
    let listChanged = false
    for (const name of removed) {
      if (!this.infos.delete(name)) continue
      this.values.delete(name)
      this.rates.delete(name)
      this.trends.delete(name)
      listChanged = true
    }
    for (const info of upsert) {
      const previous = this.infos.get(info.name)
      if (!previous) listChanged = true
      else if (previous.type !== info.type || previous.maxLength !== info.maxLength)
        this.trends.delete(info.name)
      this.infos.set(info.name, info)
    }
    if (listChanged) {
      this.names = [...this.infos.keys()]
      this.alarmsChanged = true
    }
    return listChanged
  }

  applyValues(values: readonly LiveValue[]): void {
    for (const value of values) {
      const info = this.infos.get(value.pv)
      if (!info) continue
      if (this.values.get(value.pv)?.severity !== value.severity) this.alarmsChanged = true
      this.values.set(value.pv, value)
      if (value.changes > 0) {
        let rate = this.rates.get(value.pv)
        if (!rate) {
          rate = { changes: 0, perSecond: 0 }
          this.rates.set(value.pv, rate)
        }
        rate.changes += value.changes
      }
      if (value.time > 0 && isTrendable(info) && !Array.isArray(value.value)) {
        let trend = this.trends.get(value.pv)
        if (!trend) {
          trend = new SampleRing(this.plotted.has(value.pv) ? PLOTTED_TREND_SAMPLES : TREND_SAMPLES)
          this.trends.set(value.pv, trend)
        }
        const time = value.time / 1000
        // A value whose timestamp did not move (an alarm-only change) is no new sample.
        if (trend.size === 0 || trend.timeAt(trend.size - 1) < time)
          trend.push(time, liveNumber(value.value as number))
      }
    }
  }

  /** Closes the updates-per-second window when a second has passed; returns true when rates changed. */
  rollRates(now: number): boolean {
    const elapsed = now - this.rateWindowStart
    if (elapsed < 1000) return false
    for (const rate of this.rates.values()) {
      rate.perSecond = (rate.changes * 1000) / elapsed
      rate.changes = 0
    }
    this.rateWindowStart = now
    return true
  }

  /** True once after alarm severities changed. */
  takeAlarmChanges(): boolean {
    const changed = this.alarmsChanged
    this.alarmsChanged = false
    return changed
  }

  /** Severity by PV name, for the PV tree's alarm dots. */
  severities(): Map<string, number> {
    const map = new Map<string, number>()
    for (const [name, value] of this.values) map.set(name, value.severity)
    return map
  }

  updatesPerSecond(name: string): number {
    return this.rates.get(name)?.perSecond ?? 0
  }

  trend(name: string): SampleRing | undefined {
    return this.trends.get(name)
  }

  /** The PVs being plotted keep a long history from now on. */
  setPlotted(names: readonly string[]): void {
    this.plotted.clear()
    for (const name of names) {
      this.plotted.add(name)
      this.trends.get(name)?.grow(PLOTTED_TREND_SAMPLES)
    }
  }
}
