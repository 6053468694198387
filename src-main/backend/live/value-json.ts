/**
 * A PV's value and description as the live stream carries them: JSON-safe (NaN and infinities as text), arrays
 * cut to LIVE_ARRAY_ELEMENTS, long strings as text, timestamps in Unix milliseconds.
 */
import { LIVE_ARRAY_ELEMENTS } from '@shared/api/live'
import type { LivePvInfo, LiveScalar, LiveValue } from '@shared/api/live'
import { EPICS_EPOCH_OFFSET_SECONDS } from '../../ca/wire/snapshot'
import type { PvSnapshot } from '../../ca/wire/snapshot'
import type { IocPv } from '../../ioc'
import { latin1Text } from '../../ioc/values'

function scalar(item: number | string): LiveScalar {
  if (typeof item === 'string' || Number.isFinite(item)) return item
  return String(item)
}

export function liveValueOf(pv: IocPv, snapshot: PvSnapshot, changes: number): LiveValue {
  const spec = pv.spec
  const stored = snapshot.value
  let value: LiveValue['value']
  let length = stored.length
  if (spec.longString) {
    const bytes = stored as Uint8Array
    value = latin1Text(bytes.length > LIVE_ARRAY_ELEMENTS ? bytes.subarray(0, LIVE_ARRAY_ELEMENTS) : bytes)
    length = value.length
  } else if ((spec.maxLength ?? 1) === 1) {
    value = stored.length === 0 ? '' : scalar(stored[0])
  } else {
    const shown = Math.min(stored.length, LIVE_ARRAY_ELEMENTS)
    const items = new Array<LiveScalar>(shown)
    for (let i = 0; i < shown; i++) items[i] = scalar(stored[i])
    value = items
  }
  const never = snapshot.secondsPastEpoch === 0 && snapshot.nanoseconds === 0
  return {
    pv: pv.name,
    value,
    length,
    status: snapshot.status,
    severity: snapshot.severity,
    time: never
      ? 0
      : (snapshot.secondsPastEpoch + EPICS_EPOCH_OFFSET_SECONDS) * 1000 +
        Math.floor(snapshot.nanoseconds / 1e6),
    changes,
  }
}

export function livePvInfoOf(pv: IocPv): LivePvInfo {
  const spec = pv.spec
  const metadata = pv.snapshot.metadata
  return {
    name: pv.name,
    type: spec.type,
    maxLength: spec.maxLength ?? 1,
    longString: spec.longString === true,
    units: spec.units ?? metadata.units,
    precision: spec.precision ?? metadata.precision,
    enumStrings: spec.enumStrings ?? metadata.enumStrings,
    description: spec.description ?? '',
    writable: spec.readOnly !== true,
    displayLow: spec.displayLimits?.low ?? null,
    displayHigh: spec.displayLimits?.high ?? null,
  }
}
