/**
 * Python source text from JavaScript values: literals written the way CPython's repr() writes them (so an
 * exported script reads like hand-written Python and round-trips through `ast.literal_eval`), docstrings, and
 * re-indentation of user code.
 */

/** Characters Python's str.isprintable() rejects (other than the space itself). */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u

function escapeCodePoint(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`
  return `\\U${code.toString(16).padStart(8, '0')}`
}

/** A str literal as repr() writes it: single quotes unless the text has ' and no ". */
export function pyString(value: string): string {
  // Printable ASCII without ' or \ is written as is (most names and labels).
  if (/^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/.test(value)) return `'${value}'`
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'"
  let out = quote
  for (const char of value) {
    if (char === quote || char === '\\') out += `\\${char}`
    else if (char === '\n') out += '\\n'
    else if (char === '\r') out += '\\r'
    else if (char === '\t') out += '\\t'
    else if (char !== ' ' && NON_PRINTABLE.test(char)) out += escapeCodePoint(char.codePointAt(0) as number)
    else out += char
  }
  return out + quote
}

/** An int literal; throws for non-integers (a bug in the caller, not bad input). */
export function pyInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an integer`)
  return String(value)
}

/**
 * A float literal exactly as CPython's repr(): the shortest digits that round-trip, positional notation for
 * 1e-4 <= |x| < 1e16 (always with a '.'), scientific with a two-digit exponent otherwise.
 */
export function pyFloat(value: number): string {
  if (Number.isNaN(value)) return "float('nan')"
  if (value === Infinity) return "float('inf')"
  if (value === -Infinity) return "float('-inf')"
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const sign = value < 0 ? '-' : ''
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e')
  const digits = mantissa.replace('.', '')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) {
    const significand = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const magnitude = String(Math.abs(exponent)).padStart(2, '0')
    return `${sign}${significand}e${exponent < 0 ? '-' : '+'}${magnitude}`
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
  const fraction = digits.slice(exponent + 1)
  return `${sign}${whole}.${fraction || '0'}`
}

/** JSON-like data as a Python literal: dicts, lists, str, int/float, True/False/None. */
export type PyData =
  string | number | boolean | null | readonly PyData[] | { readonly [key: string]: PyData | undefined }

/** Marks a number that must be written as a float (`5` -> `5.0`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Python source emitted as is (an expression the caller built). */
export class PyCode {
  constructor(readonly code: string) {}
}

/** A call with one argument, `bytes([1, 2, 3])`; the argument wraps like any literal. */
export class PyCall {
  constructor(
    readonly callee: string,
    readonly argument: PyValue,
  ) {}
}

export type PyValue =
  PyData | PyFloat | PyCode | PyCall | readonly PyValue[] | { readonly [key: string]: PyValue | undefined }

function isRecord(value: unknown): value is { readonly [key: string]: PyValue | undefined } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof PyCode) &&
    !(value instanceof PyFloat) &&
    !(value instanceof PyCall)
  )
}

function flat(value: PyValue): string {
  if (value instanceof PyCode) return value.code
  if (value instanceof PyFloat) return pyFloat(value.value)
  if (value instanceof PyCall) return `${value.callee}(${flat(value.argument)})`
  if (value === null) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'string') return pyString(value)
  if (typeof value === 'number') return Number.isInteger(value) ? pyInt(value) : pyFloat(value)
  if (Array.isArray(value)) return `[${value.map(flat).join(', ')}]`
  if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined)
    return `{${entries.map(([key, item]) => `${pyString(key)}: ${flat(item as PyValue)}`).join(', ')}}`
  }
  throw new TypeError(`not Python data: ${String(value)}`)
}

/**
 * A Python literal that fits in `width` columns when it starts at column `column` and `trailing` characters
 * follow it: written on one line when it fits, else one item per line (lists of scalars are filled line by
 * line), indented by 4 from `indent`.
 */
export function pyLiteral(value: PyValue, indent = 0, column = indent, width = 110, trailing = 0): string {
  const single = flat(value)
  if (column + single.length + trailing <= width) return single
  if (value instanceof PyCall) {
    const argument = pyLiteral(value.argument, indent, column + value.callee.length + 1, width, trailing + 1)
    return `${value.callee}(${argument})`
  }
  const inner = ' '.repeat(indent + 4)
  if (Array.isArray(value)) {
    if (value.every((item) => !Array.isArray(item) && !isRecord(item))) {
      const lines: string[] = []
      let line = ''
      for (const item of value.map(flat)) {
        const piece = `${item},`
        if (line && inner.length + line.length + 1 + piece.length > width) {
          lines.push(line)
          line = piece
        } else line = line ? `${line} ${piece}` : piece
      }
      if (line) lines.push(line)
      return `[\n${lines.map((text) => inner + text).join('\n')}\n${' '.repeat(indent)}]`
    }
    const items = value.map((item) => `${inner}${pyLiteral(item, indent + 4, indent + 4, width, 1)},`)
    return `[\n${items.join('\n')}\n${' '.repeat(indent)}]`
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined)
    const items = entries.map(([key, item]) => {
      const head = `${inner}${pyString(key)}: `
      return `${head}${pyLiteral(item as PyValue, indent + 4, head.length, width, 1)},`
    })
    return `{\n${items.join('\n')}\n${' '.repeat(indent)}}`
  }
  return single
}

/** A docstring at `indent`: one line when it fits, else the text on its own lines. */
export function pyDocstring(text: string, indent: number, width = 110): string {
  const pad = ' '.repeat(indent)
  const escaped = text.trim().replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"').replace(/"$/, '\\"')
  const lines = escaped.split(/\r?\n/)
  if (lines.length === 1 && indent + escaped.length + 6 <= width) return `${pad}"""${escaped}"""`
  return [
    `${pad}"""${lines[0]}`,
    ...lines.slice(1).map((line) => (line.trim() ? pad + line : '')),
    `${pad}"""`,
  ].join('\n')
}

/**
 * User code re-indented to `indent` spaces: line endings normalised, leading tabs expanded to 4 spaces, the
 * common indentation removed, blank lines at either end dropped. A block (a function or class body) with no
 * statement (empty, or only comments) gets a `pass` so it stays valid Python; module-level code needs none.
 */
export function indentBlock(code: string, indent: number, block = true): string {
  const lines = code
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const leading = /^[ \t]*/.exec(line)?.[0] ?? ''
      return leading.replace(/\t/g, '    ') + line.slice(leading.length)
    })
    .map((line) => (line.trim() === '' ? '' : line))
  while (lines.length > 0 && lines[0] === '') lines.shift()
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  const common = Math.min(
    ...lines.filter((line) => line !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
  )
  const pad = ' '.repeat(indent)
  const body = lines.map((line) => (line === '' ? '' : pad + line.slice(common)))
  const hasStatement = lines.some((line) => line !== '' && !line.trimStart().startsWith('#'))
  if (block && !hasStatement) body.push(`${pad}pass`)
  return body.join('\n')
}
