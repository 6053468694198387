/**
 * Number -> text the way an EPICS IOC does it for DBR_STRING gets (epics-base cvtFast.c): a fast fixed-point
 * path for moderate values and C printf `%f` / `%e` otherwise. Clients compare these strings (caget -d
 * DBR_STRING, alarm handlers), so the quirks are kept: the width-padded exponent form, `%f` capped at 3 decimals
 * above 1e7, and the fast path's own rounding (which is not printf's).
 */

/** 10^precision for the fast path, which only handles precision 0..8. */
const FRACTION_SCALE = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000]

const FAST_PATH_LIMIT = 10_000_000

/** A DOUBLE as cvtDoubleToString formats it with PREC = `precision` (negative precision counts as 0). */
export function formatDouble(value: number, precision: number): string {
  const prec = precision > 0 ? Math.floor(precision) : 0
  if (Number.isNaN(value) || prec > 8 || value > FAST_PATH_LIMIT || value < -FAST_PATH_LIMIT) {
    if (prec > 8 || value > 1e16 || value < -1e16) {
      const digits = Math.min(prec, 17)
      return printfExponent(value, digits, digits + 7)
    }
    return printfFixed(value, Math.min(prec, 3))
  }
  return fastFixed(value, prec, false)
}

/** A FLOAT as cvtFloatToString formats it: float arithmetic on the fast path, exponent form from 1e8. */
export function formatFloat(value: number, precision: number): string {
  const prec = precision > 0 ? Math.floor(precision) : 0
  if (Number.isNaN(value) || prec > 8 || value > FAST_PATH_LIMIT || value < -FAST_PATH_LIMIT) {
    if (prec > 8 || value >= 1e8 || value <= -1e8) {
      const digits = Math.min(prec, 12)
      return printfExponent(value, digits, digits + 6)
    }
    return printfFixed(value, Math.min(prec, 3))
  }
  return fastFixed(value, prec, true)
}

/**
 * cvtFast's fixed-point path for |value| <= 1e7: integer part by truncation, fraction scaled by 10^prec * 10,
 * truncated, then rounded half up on that one extra digit. `float` repeats the C float arithmetic step by step.
 */
function fastFixed(value: number, precision: number, float: boolean): string {
  let sign = ''
  if (value < 0) {
    sign = '-'
    value = -value
  }
  let whole = Math.trunc(value)
  const scale = FRACTION_SCALE[precision]
  let fraction: number
  if (float) {
    const rest = Math.fround(value - whole)
    fraction = Math.trunc(Math.fround(Math.fround(rest * scale) * 10))
  } else {
    fraction = Math.trunc((value - whole) * scale * 10)
  }
  fraction = Math.trunc((fraction + 5) / 10)
  if (fraction >= scale) {
    whole++
    fraction -= scale
  }
  if (precision === 0) return `${sign}${whole}`
  return `${sign}${whole}.${String(fraction).padStart(precision, '0')}`
}

/** C `printf("%.*f", precision, value)` with glibc's exact round-half-even. */
export function printfFixed(value: number, precision: number): string {
  const special = nonFinite(value)
  if (special !== undefined) return special
  const { negative, digits, exponent } = exactDecimal(value)
  // value = digits * 10^exponent; we want round(value * 10^precision) as an integer.
  const scaled = roundScaled(digits, exponent + precision)
  const text = scaled.toString().padStart(precision + 1, '0')
  const sign = negative ? '-' : ''
  if (precision === 0) return sign + text
  return `${sign}${text.slice(0, -precision)}.${text.slice(-precision)}`
}

/** C `printf("%*.*e", width, precision, value)`: mantissa, 'e', sign, at least two exponent digits. */
export function printfExponent(value: number, precision: number, width: number): string {
  const special = nonFinite(value)
  if (special !== undefined) return special.padStart(width, ' ')
  const { negative, digits, exponent } = exactDecimal(value)
  let mantissa: string
  let power: number
  if (digits === 0n) {
    mantissa = '0'.repeat(precision + 1)
    power = 0
  } else {
    const length = digits.toString().length
    // Keep precision + 1 significant digits; rounding 9.99 -> 10.0 adds one, which we then drop (it is a 0).
    let kept = roundScaled(digits, precision + 1 - length)
    power = exponent + length - 1
    if (kept.toString().length > precision + 1) {
      kept /= 10n
      power++
    }
    mantissa = kept.toString()
  }
  const body = precision === 0 ? mantissa : `${mantissa[0]}.${mantissa.slice(1)}`
  const exp = `${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`
  return `${negative ? '-' : ''}${body}e${exp}`.padStart(width, ' ')
}

const scratch = new DataView(new ArrayBuffer(8))

/** glibc's spelling of NaN and infinities (a NaN with its sign bit set prints as "-nan"). */
function nonFinite(value: number): string | undefined {
  if (Number.isFinite(value)) return undefined
  if (Number.isNaN(value)) {
    scratch.setFloat64(0, value)
    return scratch.getUint8(0) & 0x80 ? '-nan' : 'nan'
  }
  return value > 0 ? 'inf' : '-inf'
}

/** The exact value of a finite double as sign, integer digits and a power of ten. */
function exactDecimal(value: number): { negative: boolean; digits: bigint; exponent: number } {
  scratch.setFloat64(0, value)
  const high = scratch.getUint32(0)
  const low = scratch.getUint32(4)
  const negative = high >>> 31 === 1
  const biased = (high >>> 20) & 0x7ff
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low)
  if (biased !== 0) mantissa |= 1n << 52n
  const binaryExponent = (biased === 0 ? 1 : biased) - 1075
  if (binaryExponent >= 0) return { negative, digits: mantissa << BigInt(binaryExponent), exponent: 0 }
  // m * 2^-k = m * 5^k * 10^-k
  return { negative, digits: mantissa * 5n ** BigInt(-binaryExponent), exponent: binaryExponent }
}

/** round(digits * 10^shift) to an integer, ties to even. */
function roundScaled(digits: bigint, shift: number): bigint {
  if (shift >= 0) return digits * 10n ** BigInt(shift)
  const divisor = 10n ** BigInt(-shift)
  const quotient = digits / divisor
  const twice = (digits % divisor) * 2n
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) return quotient + 1n
  return quotient
}
