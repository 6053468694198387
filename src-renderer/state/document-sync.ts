/**
 * Keeps the backend's copy of the document in step with the editor's: edits are sent a short while after
 * typing pauses, one request at a time, always the newest version; `flush()` sends now and resolves once
 * the backend holds the document as it is at that moment (Save, Start and Apply wait for it).
 */
export class DocumentSync<T> {
  private latest: T | undefined
  private sent: T | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined

  constructor(
    private readonly send: (document: T) => Promise<unknown>,
    private readonly delayMs = 250,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** The document the backend was given last (after a load, the loaded one). */
  get acknowledged(): T | undefined {
    return this.sent
  }

  /** A document loaded from the backend: it already has it, nothing to send. */
  reset(document: T): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.latest = document
    this.sent = document
  }

  /** The backend may not hold what it was sent (it reconnected, or restarted): the next flush sends again. */
  invalidate(): void {
    this.sent = undefined
  }

  /** The editor's document changed. */
  changed(document: T): void {
    this.latest = document
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.flush().catch(this.onError)
    }, this.delayMs)
  }

  /** Sends what is pending now; resolves when the backend has the newest document. */
  async flush(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    while (this.latest !== this.sent) {
      if (this.running) {
        await this.running
        continue
      }
      const document = this.latest as T
      this.running = this.send(document).then(() => {
        this.sent = document
      })
      try {
        await this.running
      } finally {
        this.running = undefined
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
