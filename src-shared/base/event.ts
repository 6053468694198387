/**
 * Events and disposables in the VS Code style: an `Event<T>` is a function you call with a listener and that
 * returns a `Disposable`; the owner keeps an `Emitter<T>` and fires it. Events are named `onDidX`.
 */
export interface Disposable {
  dispose(): void
}

export type Event<T> = (listener: (value: T) => void) => Disposable

export const NONE: Disposable = Object.freeze({ dispose() {} })

export function toDisposable(dispose: () => void): Disposable {
  let done = false
  return {
    dispose() {
      if (done) return
      done = true
      dispose()
    },
  }
}

/** Collects disposables and disposes them together, newest first. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = []
  private disposed = false

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose()
    else this.items.push(item)
    return item
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    for (let i = this.items.length - 1; i >= 0; i--) this.items[i].dispose()
    this.items.length = 0
  }
}

export class Emitter<T> implements Disposable {
  private listeners: Array<(value: T) => void> = []

  /** True when someone listens: lets hot paths skip building an event nobody will see. */
  get hasListeners(): boolean {
    return this.listeners.length > 0
  }

  readonly event: Event<T> = (listener) => {
    // Copy on write so a listener may unsubscribe while the emitter fires.
    this.listeners = [...this.listeners, listener]
    return toDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener)
    })
  }

  fire(value: T): void {
    const listeners = this.listeners
    for (let i = 0; i < listeners.length; i++) listeners[i](value)
  }

  dispose(): void {
    this.listeners = []
  }
}
