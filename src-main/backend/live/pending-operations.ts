/**
 * Puts and gets in progress per PV, from the database's start/end reports: how many are pending now, and the
 * most that waited at once since the last batch (a putter that awaits for 20 ms between two batches still
 * shows). An operation that ends within the call that started it (no hook, or a hook that did not await) is
 * not noteworthy: at 10,000 writes a second it would make every PV look busy.
 */
interface Counts {
  puts: number
  gets: number
  peakPuts: number
  peakGets: number
}

export class PendingOperations {
  /** Kept while the PV exists (forget() drops it), so a busy PV costs no allocation per interval. */
  private readonly byPv = new Map<string, Counts>()
  /** PVs with an operation pending now. */
  private readonly waiting = new Set<string>()
  /** PVs with an operation that waited, since the interval began. */
  private readonly waited = new Set<string>()
  /** PVs reported busy at the end of the last interval: their return to idle must be reported too. */
  private shownBusy = new Set<string>()

  start(pv: string, op: 'put' | 'get'): void {
    const counts = this.countsOf(pv)
    if (op === 'put') counts.puts++
    else counts.gets++
    this.waiting.add(pv)
  }

  /** `waited`: the operation outlived the call that started it (its hook awaited). */
  end(pv: string, op: 'put' | 'get', waited: boolean): void {
    const counts = this.byPv.get(pv)
    if (!counts) return
    if (op === 'put') {
      if (waited && counts.puts > counts.peakPuts) counts.peakPuts = counts.puts
      counts.puts = Math.max(0, counts.puts - 1)
    } else {
      if (waited && counts.gets > counts.peakGets) counts.peakGets = counts.gets
      counts.gets = Math.max(0, counts.gets - 1)
    }
    if (waited) this.waited.add(pv)
    if (counts.puts === 0 && counts.gets === 0) this.waiting.delete(pv)
  }

  /** The most pending at once in this interval (operations that waited, or pending now). */
  peaks(pv: string): { puts: number; gets: number } {
    const counts = this.byPv.get(pv)
    if (!counts) return { puts: 0, gets: 0 }
    return { puts: Math.max(counts.peakPuts, counts.puts), gets: Math.max(counts.peakGets, counts.gets) }
  }

  /** PVs whose counters should go out with the next batch whatever the throttling: busy now or lately. */
  urgent(): Set<string> {
    return new Set([...this.waiting, ...this.waited, ...this.shownBusy])
  }

  /** Ends the interval: peaks start over from what is pending now. */
  endInterval(): void {
    const busy = new Set<string>()
    for (const [pv, counts] of this.byPv) {
      if (counts.peakPuts > 0 || counts.peakGets > 0 || this.waiting.has(pv)) busy.add(pv)
      counts.peakPuts = counts.puts
      counts.peakGets = counts.gets
    }
    this.shownBusy = busy
    this.waited.clear()
  }

  forget(pv: string): void {
    this.byPv.delete(pv)
    this.waiting.delete(pv)
    this.waited.delete(pv)
    this.shownBusy.delete(pv)
  }

  clear(): void {
    this.byPv.clear()
    this.waiting.clear()
    this.waited.clear()
    this.shownBusy.clear()
  }

  private countsOf(pv: string): Counts {
    let counts = this.byPv.get(pv)
    if (!counts) {
      counts = { puts: 0, gets: 0, peakPuts: 0, peakGets: 0 }
      this.byPv.set(pv, counts)
    }
    return counts
  }
}
