/**
 * A time series in two typed arrays that wrap around: pushing costs no allocation, and the capacity can grow
 * (when a PV is trended, its history is kept longer). Times are seconds since the Unix epoch, as uPlot wants.
 */
export class SampleRing {
  private times: Float64Array
  private values: Float64Array
  private start = 0
  private count = 0

  constructor(capacity: number) {
    this.times = new Float64Array(capacity)
    this.values = new Float64Array(capacity)
  }

  get capacity(): number {
    return this.times.length
  }

  get size(): number {
    return this.count
  }

  push(time: number, value: number): void {
    const capacity = this.times.length
    const at = (this.start + this.count) % capacity
    this.times[at] = time
    this.values[at] = value
    if (this.count < capacity) this.count++
    else this.start = (this.start + 1) % capacity
  }

  timeAt(index: number): number {
    return this.times[(this.start + index) % this.times.length]
  }

  valueAt(index: number): number {
    return this.values[(this.start + index) % this.times.length]
  }

  /** Keeps what is held and makes room for `capacity` samples (never shrinks). */
  grow(capacity: number): void {
    if (capacity <= this.times.length) return
    const times = new Float64Array(capacity)
    const values = new Float64Array(capacity)
    for (let i = 0; i < this.count; i++) {
      times[i] = this.timeAt(i)
      values[i] = this.valueAt(i)
    }
    this.times = times
    this.values = values
    this.start = 0
  }

  /** Index of the first sample at or after `time` (size when there is none). */
  firstIndexFrom(time: number): number {
    let low = 0
    let high = this.count
    while (low < high) {
      const middle = (low + high) >> 1
      if (this.timeAt(middle) < time) low = middle + 1
      else high = middle
    }
    return low
  }

  clear(): void {
    this.start = 0
    this.count = 0
  }
}
