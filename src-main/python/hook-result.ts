/**
 * How a Python hook's outcome crosses back into TypeScript without allocating a PyProxy: the shim returns
 * undefined (accept), the SKIP object itself, a HookFailure, a plain value (coerce), or a Promise of one of those.
 */
import type { PutterResult } from '../ioc'

/** `raise SkipWrite` / `return SkipWrite`: keep the old value. Also a valid PutterResult as it is. */
export const SKIP: PutterResult = Object.freeze({ kind: 'skip' })

/** A hook raised; the shim already logged its traceback under the PV's name. */
export class HookFailure extends Error {
  override readonly name = 'HookFailure'
}

function putterResultOf(result: unknown): PutterResult | undefined {
  if (result === undefined) return undefined
  if (result === SKIP) return SKIP
  if (result instanceof HookFailure) throw result
  return { kind: 'coerce', value: result }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise
}

/** The PutterResult for what the shim's call_putter returned (throws HookFailure when the putter raised). */
export function toPutterResult(
  result: unknown,
): PutterResult | undefined | Promise<PutterResult | undefined> {
  return isPromise(result) ? result.then(putterResultOf) : putterResultOf(result)
}

function getterValueOf(result: unknown): unknown {
  if (result instanceof HookFailure) throw result
  return result
}

/** The value a getter produced (undefined: serve the stored value). */
export function toGetterValue(result: unknown): unknown {
  return isPromise(result) ? result.then(getterValueOf) : getterValueOf(result)
}
