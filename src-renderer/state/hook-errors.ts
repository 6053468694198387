/**
 * Exceptions the running IOC's hooks raised, newest last, bounded. The Problems panel lists them and the
 * hook editor marks the line the traceback ends at; they clear on Start and when the user dismisses them.
 */
import { create } from 'zustand'
import type { HookError } from '@shared/api/contract'

export const HOOK_ERRORS_KEPT = 50

interface HookErrorStore {
  readonly errors: readonly HookError[]
}

export const useHookErrors = create<HookErrorStore>()(() => ({ errors: [] }))

/** A batch from the backend. The same failure repeating (a scan at 10 Hz) keeps one entry, the newest. */
export function addHookErrors(batch: readonly HookError[]): void {
  if (batch.length === 0) return
  useHookErrors.setState((s) => {
    let errors = [...s.errors]
    for (const error of batch) {
      errors = errors.filter((e) => !sameFailure(e, error))
      errors.push(error)
    }
    return { errors: errors.slice(-HOOK_ERRORS_KEPT) }
  })
}

export function clearHookErrors(): void {
  useHookErrors.setState({ errors: [] })
}

function sameFailure(a: HookError, b: HookError): boolean {
  return a.pv === b.pv && a.hook === b.hook && a.message === b.message && a.line === b.line
}
