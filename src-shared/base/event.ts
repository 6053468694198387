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
  private listeners: ReadonlyArray<(value: T) => void> = []

  /** True when someone listens: lets hot paths skip building an event nobody will see. */
  get hasListeners(): boolean {
    return this.listeners.length > 0
  }

  readonly event: Event<T> = (listener) => {
    // Copy on write so a listener may unsubscribe while the emitter fires. The array is built at its exact
    // size and the subscription is one small object: the CA server makes several per channel.
    const next = new Array<(value: T) => void>(this.listeners.length + 1)
    for (let i = 0; i < this.listeners.length; i++) next[i] = this.listeners[i]
    next[this.listeners.length] = listener
    this.listeners = next
    return new EmitterSubscription(this, listener)
  }

  fire(value: T): void {
    const listeners = this.listeners
    for (let i = 0; i < listeners.length; i++) listeners[i](value)
  }

  /** @internal Used by EmitterSubscription. */
  remove(listener: (value: T) => void): void {
    const index = this.listeners.indexOf(listener)
    if (index < 0) return
    this.listeners = [...this.listeners.slice(0, index), ...this.listeners.slice(index + 1)]
  }

  dispose(): void {
    this.listeners = []
  }
}

class EmitterSubscription<T> implements Disposable {
  constructor(
    private emitter: Emitter<T> | undefined,
    private readonly listener: (value: T) => void,
  ) {}

  dispose(): void {
    this.emitter?.remove(this.listener)
    this.emitter = undefined
  }
}
