/**
 * Counts per second for the last `seconds` seconds, for the small rate charts: batches add what they counted,
 * and a chart reads whole seconds (the current, still filling second is left out so the line does not dip).
 */
export class RateHistory {
  private readonly counts: Float64Array
  /** The second (Unix) that `counts[head]` holds. */
  private headSecond = 0
  private head = 0

  constructor(readonly seconds = 120) {
    this.counts = new Float64Array(seconds)
  }

  add(timeMs: number, count: number): void {
    const second = Math.floor(timeMs / 1000)
    this.advanceTo(second)
    const back = this.headSecond - second
    if (back < 0 || back >= this.seconds) return
    this.counts[(this.head - back + this.seconds) % this.seconds] += count
  }

  /** Per-second counts of the last complete seconds up to `nowMs`: [seconds[], counts[]], oldest first. */
  series(nowMs: number, length = this.seconds - 1): [number[], number[]] {
    this.advanceTo(Math.floor(nowMs / 1000))
    const n = Math.min(length, this.seconds - 1)
    const times = new Array<number>(n)
    const values = new Array<number>(n)
    for (let i = 0; i < n; i++) {
      const back = n - i
      times[i] = this.headSecond - back
      values[i] = this.counts[(this.head - back + this.seconds) % this.seconds]
    }
    return [times, values]
  }

  /** The count of the last complete second. */
  lastSecond(nowMs: number): number {
    this.advanceTo(Math.floor(nowMs / 1000))
    return this.counts[(this.head - 1 + this.seconds) % this.seconds]
  }

  clear(): void {
    this.counts.fill(0)
    this.headSecond = 0
    this.head = 0
  }

  private advanceTo(second: number): void {
    if (this.headSecond === 0) {
      this.headSecond = second
      return
    }
    const steps = second - this.headSecond
    if (steps <= 0) return
    for (let i = 0; i < Math.min(steps, this.seconds); i++) {
      this.head = (this.head + 1) % this.seconds
      this.counts[this.head] = 0
    }
    this.headSecond = second
  }
}
