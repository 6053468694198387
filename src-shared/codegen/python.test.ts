import { describe, expect, it } from 'vitest'
import { indentBlock, PyCall, PyCode, pyDocstring, pyFloat, PyFloat, pyLiteral, pyString } from './python'

describe('pyString writes what repr() writes', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", `"it's"`],
    [`it's "x"`, `'it\\'s "x"'`],
    ['back\\slash', "'back\\\\slash'"],
    ['tab\tnew\nline\rcr', "'tab\\tnew\\nline\\rcr'"],
    ['Température 25°C', "'Température 25°C'"],
    ['\x00\x1b\x7f\x85\xa0\xad', "'\\x00\\x1b\\x7f\\x85\\xa0\\xad'"],
    ['\u2028', "'\\u2028'"],
    ['snow ☃ 😀', "'snow ☃ 😀'"],
  ])('%j', (value, literal) => {
    expect(pyString(value)).toBe(literal)
  })
})

describe('pyFloat writes what repr() writes', () => {
  it.each([
    [0, '0.0'],
    [-0, '-0.0'],
    [1, '1.0'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [123456789012345.6, '123456789012345.6'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'],
    [Infinity, "float('inf')"],
    [-Infinity, "float('-inf')"],
    [NaN, "float('nan')"],
  ])('%s', (value, literal) => {
    expect(pyFloat(value)).toBe(literal)
  })
})

describe('pyLiteral', () => {
  it('writes data on one line when it fits', () => {
    expect(
      pyLiteral({ a: [1, 2.5, new PyFloat(3)], b: { c: true, d: null }, e: undefined, f: new PyCode('x') }),
    ).toBe("{'a': [1, 2.5, 3.0], 'b': {'c': True, 'd': None}, 'f': x}")
    expect(pyLiteral(new PyCall('bytes', [0, 255]))).toBe('bytes([0, 255])')
  })

  it('breaks dicts one entry per line and fills lists of scalars, within the width', () => {
    const text = pyLiteral(
      { first: 'a'.repeat(20), list: Array.from({ length: 12 }, (_, i) => i * 100) },
      0,
      0,
      40,
    )
    expect(text).toBe(
      [
        '{',
        `    'first': '${'a'.repeat(20)}',`,
        "    'list': [",
        '        0, 100, 200, 300, 400, 500, 600,',
        '        700, 800, 900, 1000, 1100,',
        '    ],',
        '}',
      ].join('\n'),
    )
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(40)
  })

  it('wraps the argument of a call', () => {
    expect(pyLiteral(new PyCall('bytes', [1, 2, 3, 4, 5, 6]), 0, 0, 16)).toBe(
      'bytes([\n    1, 2, 3, 4,\n    5, 6,\n])',
    )
  })
})

describe('pyDocstring', () => {
  it('is one line when short, else the text on its own lines', () => {
    expect(pyDocstring('What it does.', 4)).toBe('    """What it does."""')
    expect(pyDocstring('First.\n\nMore.', 4)).toBe('    """First.\n\n    More.\n    """')
  })

  it('escapes what would end it early', () => {
    expect(pyDocstring('a """quote""" and \\ and "end"', 0)).toBe(
      '"""a \\"\\"\\"quote\\"\\"\\" and \\\\ and "end\\""""',
    )
  })
})

describe('indentBlock', () => {
  it('removes the common indentation and indents to the level asked', () => {
    expect(indentBlock('\n\n    if x:\n        y()\n\n    z()\n\n', 8)).toBe(
      '        if x:\n            y()\n\n        z()',
    )
  })

  it('normalises line endings and expands leading tabs', () => {
    expect(indentBlock('if x:\r\n\ty()\r\n', 4)).toBe('    if x:\n        y()')
  })

  it('adds pass to a block without a statement, not to module-level code', () => {
    expect(indentBlock('', 8)).toBe('        pass')
    expect(indentBlock('# nothing yet', 4)).toBe('    # nothing yet\n    pass')
    expect(indentBlock('# just a note', 0, false)).toBe('# just a note')
  })
})
