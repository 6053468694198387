/**
 * The exporter writes floats and strings the way CPython's repr() does, so exported scripts read like
 * hand-written Python and `ast.literal_eval` gives back exactly the document's values. Checked here against the
 * real python3 for a few thousand values.
 */
import { execFileSync } from 'node:child_process'
import { expect, it } from 'vitest'
import { pyFloat, pyString } from '@shared/codegen/python'

function python(script: string, input: string): string {
  return execFileSync('python3', ['-c', script], { input, encoding: 'utf8', timeout: 30_000 })
}

/** A deterministic spread of doubles: every decade from 1e-320 to 1e308, with awkward mantissas and edges. */
function samples(): number[] {
  let seed = 12345
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  const values = [
    0,
    -0,
    1,
    -1,
    0.1,
    0.2,
    0.3,
    1 / 3,
    2 / 3,
    1e-4,
    9.999e-5,
    1e-5,
    1e15,
    1e16,
    9999999999999998,
  ]
  values.push(
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.EPSILON,
    2 ** 53,
    2 ** 53 + 2,
    123.456,
    3.4028234663852886e38,
  )
  for (let exponent = -320; exponent <= 308; exponent++) {
    values.push(Number(`${(random() * 9 + 1).toFixed(1 + Math.floor(random() * 16))}e${exponent}`))
    values.push(-random() * 10 ** exponent)
  }
  return values.filter((value) => Number.isFinite(value))
}

it('pyFloat agrees with repr(float) for thousands of values', () => {
  const values = samples()
  const hex = values.map((value) => {
    const view = new DataView(new ArrayBuffer(8))
    view.setFloat64(0, value)
    return Array.from(new Uint8Array(view.buffer), (byte) => byte.toString(16).padStart(2, '0')).join('')
  })
  const script = `
import json, struct, sys
print(json.dumps([repr(struct.unpack('>d', bytes.fromhex(h))[0]) for h in json.load(sys.stdin)]))`
  const expected = JSON.parse(python(script, JSON.stringify(hex))) as string[]
  expect(values.length).toBeGreaterThan(1000)
  expect(values.map(pyFloat)).toEqual(expected)
})

it('pyString agrees with repr(str) for every latin-1 character and some beyond', () => {
  const strings = Array.from({ length: 256 }, (_, code) => `a${String.fromCharCode(code)}b`)
  strings.push("it's", 'say "hi"', `both ' and "`, '☃', '\u2028', '\ufeff', 'é\u0301', '😀')
  const script = `
import json, sys
print(json.dumps([repr(s) for s in json.load(sys.stdin)]))`
  const expected = JSON.parse(python(script, JSON.stringify(strings))) as string[]
  expect(strings.map(pyString)).toEqual(expected)
})
