/**
 * Runs a callback at most once per animation frame however often it is requested, passing the union of the
 * flags requested since the last run: any number of batches between two frames cost one store commit.
 */
export type FrameScheduler = (callback: () => void) => void

export const animationFrame: FrameScheduler = (callback) => {
  requestAnimationFrame(() => callback())
}

export class FrameCoalescer {
  private flags = 0
  private scheduled = false

  constructor(
    private readonly run: (flags: number) => void,
    private readonly schedule: FrameScheduler = animationFrame,
  ) {}

  request(flags: number): void {
    this.flags |= flags
    if (this.scheduled || this.flags === 0) return
    this.scheduled = true
    this.schedule(() => {
      this.scheduled = false
      const flags = this.flags
      this.flags = 0
      if (flags !== 0) this.run(flags)
    })
  }
}
