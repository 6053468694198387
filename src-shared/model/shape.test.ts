import { describe, expect, it } from 'vitest'
import {
  anyOf,
  boolean,
  checkShape,
  choice,
  dictionary,
  list,
  literal,
  named,
  number,
  object,
  optional,
  required,
  text,
  toJsonSchema,
} from './shape'
import type { Infer, Shape } from './shape'

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false

function errorsOf<T>(shape: Shape<T>, value: unknown) {
  return checkShape(shape, value, 'x').errors
}

describe('leaf shapes explain what is wrong', () => {
  it.each([
    [text(), 5, 'must be text, not a number'],
    [text({ minLength: 1 }), '', 'must not be empty'],
    [text({ maxLength: 3 }), 'abcd', '"abcd" is 4 characters, at most 3'],
    [text({ latin1: true }), 'a€', '"a€" has characters outside latin-1'],
    [text({ pattern: /^[a-z]+$/, patternMeaning: 'lowercase' }), 'A', '"A" is not lowercase'],
    [number(), '1', 'must be a number, not text'],
    [number(), Infinity, 'Infinity is not a finite number'],
    [number({ integer: true }), 1.5, '1.5 is not a whole number'],
    [number({ minimum: 1 }), 0, '0 is below 1'],
    [number({ maximum: 17 }), 18, '18 is above 17'],
    [number({ exclusiveMinimum: 0 }), 0, '0 must be above 0'],
    [boolean(), 'yes', 'must be true or false, not text'],
    [literal(1), 2, 'must be 1, not 2'],
    [choice('a', 'b'), 'c', `"c" is not one of 'a', 'b'`],
    [list(number()), {}, 'must be a list, not an object'],
    [list(text(), { maxItems: 16, itemsCalled: 'states' }), Array(17).fill('s'), '17 states, at most 16'],
    [
      anyOf<number | string>('a number or text', number(), text()),
      null,
      'must be a number or text, not null',
    ],
  ])('%# %j', (shape, value, message) => {
    expect(errorsOf(shape as Shape<unknown>, value)).toEqual([{ path: 'x', message }])
  })

  it('accepts conforming values', () => {
    expect(errorsOf(text({ maxLength: 3, latin1: true }), 'é')).toEqual([])
    expect(errorsOf(anyOf<number | readonly number[]>('n', number(), list(number())), [1, 2])).toEqual([])
  })
})

describe('objects', () => {
  const point = object({
    x: required(number(), 'horizontal'),
    y: required(number(), 'vertical'),
    label: optional(text(), 'a name'),
  })

  it('report every problem with its path, missing fields with what they are', () => {
    expect(errorsOf(point, { x: 'left', label: 3 })).toEqual([
      { path: 'x.x', message: 'must be a number, not text' },
      { path: 'x.label', message: 'must be text, not a number' },
      { path: 'x.y', message: 'missing (vertical)' },
    ])
  })

  it('keep unknown fields, report them, and suggest a close name', () => {
    const result = checkShape(point, { x: 1, y: 2, lable: 'a', colour: 'red' })
    expect(result.ok).toBe(true)
    expect(result.unknownFields).toEqual([{ path: 'lable', suggestion: 'label' }, { path: 'colour' }])
  })

  it('paths go through lists and dictionaries', () => {
    const shape = object({ groups: required(dictionary({ minLength: 1 }, list(text())), 'groups') })
    expect(errorsOf(shape, { groups: { ops: ['a', 2], '': [] } })).toEqual([
      { path: 'x.groups.ops[1]', message: 'must be text, not a number' },
      { path: 'x.groups.', message: 'must not be empty' },
    ])
  })

  it('infer the TypeScript type, optional fields optional', () => {
    const ok: Equal<
      Infer<typeof point>,
      { readonly x: number; readonly y: number; readonly label?: string }
    > = true
    expect(ok).toBe(true)
  })
})

describe('named shapes', () => {
  interface Tree {
    readonly name: string
    readonly children?: readonly Tree[]
  }
  const tree: Shape<Tree> = named('tree', () =>
    object({ name: required(text(), 'node name'), children: optional(list(tree), 'sub-trees') }),
  )

  it('may be recursive: validation follows the nesting', () => {
    expect(errorsOf(tree, { name: 'a', children: [{ name: 'b', children: [{ name: 1 }] }] })).toEqual([
      { path: 'x.children[0].children[0].name', message: 'must be text, not a number' },
    ])
  })

  it('become $defs referenced by $ref, once each', () => {
    const schema = toJsonSchema(object({ root: required(tree, 'the root') }), { title: 'T' })
    expect(schema).toEqual({
      title: 'T',
      type: 'object',
      properties: { root: { description: 'the root', $ref: '#/$defs/tree' } },
      required: ['root'],
      $defs: {
        tree: {
          type: 'object',
          properties: {
            name: { description: 'node name', type: 'string' },
            children: { description: 'sub-trees', type: 'array', items: { $ref: '#/$defs/tree' } },
          },
          required: ['name'],
        },
      },
    })
  })
})

it('leaf shapes carry their constraints into the JSON Schema', () => {
  const schema = toJsonSchema(
    object({
      a: required(text({ maxLength: 7, latin1: true }), 'a'),
      b: required(number({ integer: true, minimum: 0, maximum: 17 }), 'b'),
      c: required(list(choice('x', 'y'), { maxItems: 2 }), 'c'),
      d: required(literal(1), 'd'),
      e: required(anyOf<number | string>('e', number(), text()), 'e'),
    }),
    {},
  )
  expect(schema.properties).toEqual({
    a: { description: 'a', type: 'string', maxLength: 7, pattern: '^[\\u0000-\\u00ff]*$' },
    b: { description: 'b', type: 'integer', minimum: 0, maximum: 17 },
    c: { description: 'c', type: 'array', items: { enum: ['x', 'y'] }, maxItems: 2 },
    d: { description: 'd', const: 1 },
    e: { description: 'e', anyOf: [{ type: 'number' }, { type: 'string' }] },
  })
})
