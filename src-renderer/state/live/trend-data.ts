/**
 * uPlot wants one x array shared by every series: several PVs' histories (each with its own timestamps) are
 * merged on the union of their times, a series having null where it has no sample (drawn with spanGaps).
 */
import type { SampleRing } from './sample-ring'

export type AlignedSeries = [number[], ...(number | null)[][]]

/** The samples at or after `from` (seconds) of each ring, merged on time. */
export function alignTrends(rings: readonly (SampleRing | undefined)[], from: number): AlignedSeries {
  const heads = rings.map((ring) => (ring ? ring.firstIndexFrom(from) : 0))
  const sizes = rings.map((ring) => ring?.size ?? 0)
  const xs: number[] = []
  const ys = rings.map(() => [] as (number | null)[])
  for (;;) {
    let next = Infinity
    for (let r = 0; r < rings.length; r++) {
      if (heads[r] < sizes[r]) next = Math.min(next, rings[r]!.timeAt(heads[r]))
    }
    if (next === Infinity) break
    xs.push(next)
    for (let r = 0; r < rings.length; r++) {
      if (heads[r] < sizes[r] && rings[r]!.timeAt(heads[r]) === next) {
        const value = rings[r]!.valueAt(heads[r]++)
        ys[r].push(Number.isFinite(value) ? value : null)
      } else ys[r].push(null)
    }
  }
  return [xs, ...ys]
}

/** Arrays as line plots: x is the element index; shorter arrays end in nulls. */
export function alignArrays(arrays: readonly (readonly number[])[]): AlignedSeries {
  const length = Math.max(0, ...arrays.map((a) => a.length))
  const xs = Array.from({ length }, (_, i) => i)
  const ys = arrays.map((a) => xs.map((i) => (i < a.length && Number.isFinite(a[i]) ? a[i] : null)))
  return [xs, ...ys]
}
