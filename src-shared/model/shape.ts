/**
 * A small vocabulary for describing JSON documents once and getting three things from the description: the
 * TypeScript type (`Infer`), a validator that explains every problem with a path ("pvs[3].enumStrings: 17 states,
 * at most 16"), and the published JSON Schema. The project document is written in it, so the type, the loader
 * and docs/project-schema.json cannot drift apart.
 *
 * Validation never transforms: a value that passes is returned as a deep copy, with fields the description does
 * not know kept as they were (and reported, so a loader can warn).
 */

export interface Issue {
  /** Where, in JavaScript notation from the document root: `pvs[3].enumStrings`, `server.prefix`. */
  readonly path: string
  readonly message: string
}

export interface CheckContext {
  readonly errors: Issue[]
  /** Object fields no description mentions (preserved, worth a warning). */
  readonly unknownFields: UnknownField[]
  /** Where the check is: the keys from the root down (a path string is only built for a problem). */
  readonly at: (string | number)[]
  /** Path of the root value ('' for a document). */
  readonly base: string
}

export interface UnknownField {
  readonly path: string
  /** A described field with a similar name, when there is one. */
  readonly suggestion?: string
}

export type JsonSchema = { readonly [key: string]: unknown }

/** Collects `$defs` while a schema is generated; a named shape is emitted once and referenced after. */
export interface SchemaDefinitions {
  readonly defs: Record<string, JsonSchema>
}

export abstract class Shape<T> {
  /** Carries the described type; never set. */
  declare readonly _type?: T
  /** Checks `value` at `context.at`; adds issues to `context.errors` and returns whether it conforms. */
  abstract check(value: unknown, context: CheckContext): boolean
  abstract schema(definitions: SchemaDefinitions): JsonSchema
}

export type Infer<S> = S extends Shape<infer T> ? T : never

/** A short description of a value for messages ("a number", "text", "a list"). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  switch (typeof value) {
    case 'string':
      return 'text'
    case 'number':
      return 'a number'
    case 'boolean':
      return 'true/false'
    case 'object':
      return 'an object'
    default:
      return typeof value
  }
}

/** A value quoted for a message, shortened when long. */
export function quote(value: unknown, limit = 40): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > limit ? `${text.slice(0, limit - 2)}…${text.slice(-1)}` : text
}

export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path === '' ? key : `${path}.${key}`
}

/** The current position as a path: `pvs[3].enumStrings`. */
function pathOf(context: CheckContext): string {
  let path = context.base
  for (const key of context.at) path = joinPath(path, key)
  return path
}

function fail(context: CheckContext, message: string): false {
  context.errors.push({ path: pathOf(context) || '(document)', message })
  return false
}

/** Checks `value` one level down, under `key`. */
function checkAt(
  shape: Shape<unknown>,
  value: unknown,
  key: string | number,
  context: CheckContext,
): boolean {
  context.at.push(key)
  const ok = shape.check(value, context)
  context.at.pop()
  return ok
}

export interface StringOptions {
  readonly minLength?: number
  readonly maxLength?: number
  readonly pattern?: RegExp
  /** Says what the pattern means ("a Python identifier"), for messages and the schema description. */
  readonly patternMeaning?: string
  /** Characters must be latin-1 (one byte each on the wire). */
  readonly latin1?: boolean
}

/** True when every character is latin-1 (one byte on the wire). */
export function isLatin1(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return false
  return true
}

class StringShape extends Shape<string> {
  constructor(private readonly options: StringOptions) {
    super()
  }

  check(value: unknown, context: CheckContext): boolean {
    if (typeof value !== 'string') return fail(context, `must be text, not ${kindOf(value)}`)
    const { minLength, maxLength, pattern, patternMeaning, latin1 } = this.options
    if (minLength !== undefined && value.length < minLength) {
      return fail(context, minLength === 1 ? 'must not be empty' : `at least ${minLength} characters`)
    }
    if (maxLength !== undefined && value.length > maxLength) {
      return fail(context, `${quote(value)} is ${value.length} characters, at most ${maxLength}`)
    }
    if (latin1 && !isLatin1(value)) {
      return fail(context, `${quote(value)} has characters outside latin-1`)
    }
    if (pattern && !pattern.test(value)) {
      return fail(context, `${quote(value)} is not ${patternMeaning ?? `matching ${pattern.source}`}`)
    }
    return true
  }

  schema(): JsonSchema {
    const { minLength, maxLength, pattern, latin1 } = this.options
    return {
      type: 'string',
      ...(minLength !== undefined ? { minLength } : {}),
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(pattern ? { pattern: pattern.source } : latin1 ? { pattern: '^[\\u0000-\\u00ff]*$' } : {}),
    }
  }
}

class ChoiceShape<T extends string> extends Shape<T> {
  constructor(private readonly choices: readonly T[]) {
    super()
  }

  check(value: unknown, context: CheckContext): boolean {
    if (typeof value === 'string' && (this.choices as readonly string[]).includes(value)) return true
    return fail(context, `${quote(value)} is not one of ${this.choices.map((c) => `'${c}'`).join(', ')}`)
  }

  schema(): JsonSchema {
    return { enum: [...this.choices] }
  }
}

export interface NumberOptions {
  readonly integer?: boolean
  readonly minimum?: number
  readonly maximum?: number
  /** The value must be above this (not equal). */
  readonly exclusiveMinimum?: number
}

class NumberShape extends Shape<number> {
  constructor(private readonly options: NumberOptions) {
    super()
  }

  check(value: unknown, context: CheckContext): boolean {
    if (typeof value !== 'number') return fail(context, `must be a number, not ${kindOf(value)}`)
    if (!Number.isFinite(value)) return fail(context, `${value} is not a finite number`)
    const { integer, minimum, maximum, exclusiveMinimum } = this.options
    if (integer && !Number.isInteger(value)) return fail(context, `${value} is not a whole number`)
    if (minimum !== undefined && value < minimum) return fail(context, `${value} is below ${minimum}`)
    if (maximum !== undefined && value > maximum) return fail(context, `${value} is above ${maximum}`)
    if (exclusiveMinimum !== undefined && value <= exclusiveMinimum) {
      return fail(context, `${value} must be above ${exclusiveMinimum}`)
    }
    return true
  }

  schema(): JsonSchema {
    const { integer, minimum, maximum, exclusiveMinimum } = this.options
    return {
      type: integer ? 'integer' : 'number',
      ...(minimum !== undefined ? { minimum } : {}),
      ...(maximum !== undefined ? { maximum } : {}),
      ...(exclusiveMinimum !== undefined ? { exclusiveMinimum } : {}),
    }
  }
}

class BooleanShape extends Shape<boolean> {
  check(value: unknown, context: CheckContext): boolean {
    return typeof value === 'boolean' || fail(context, `must be true or false, not ${kindOf(value)}`)
  }

  schema(): JsonSchema {
    return { type: 'boolean' }
  }
}

class LiteralShape<T extends number | string> extends Shape<T> {
  constructor(private readonly value: T) {
    super()
  }

  check(value: unknown, context: CheckContext): boolean {
    return value === this.value || fail(context, `must be ${quote(this.value)}, not ${quote(value)}`)
  }

  schema(): JsonSchema {
    return { const: this.value }
  }
}

export interface ArrayOptions {
  readonly maxItems?: number
  /** Names the items in messages ("17 states, at most 16"); default "items". */
  readonly itemsCalled?: string
}

class ArrayShape<T> extends Shape<readonly T[]> {
  constructor(
    readonly items: Shape<T>,
    private readonly options: ArrayOptions,
  ) {
    super()
  }

  check(value: unknown, context: CheckContext): boolean {
    if (!Array.isArray(value)) return fail(context, `must be a list, not ${kindOf(value)}`)
    const { maxItems, itemsCalled = 'items' } = this.options
    if (maxItems !== undefined && value.length > maxItems) {
      return fail(context, `${value.length} ${itemsCalled}, at most ${maxItems}`)
    }
    let ok = true
    for (let index = 0; index < value.length; index++) {
      if (!checkAt(this.items, value[index], index, context)) ok = false
    }
    return ok
  }

  schema(definitions: SchemaDefinitions): JsonSchema {
    const { maxItems } = this.options
    return {
      type: 'array',
      items: this.items.schema(definitions),
      ...(maxItems !== undefined ? { maxItems } : {}),
    }
  }
}

class RecordShape<T> extends Shape<Readonly<Record<string, T>>> {
  constructor(
    private readonly keys: StringShape,
    private readonly values: Shape<T>,
  ) {
    super()
  }

  check(value: unknown, context: CheckContext): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(context, `must be an object, not ${kindOf(value)}`)
    }
    let ok = true
    for (const [key, item] of Object.entries(value)) {
      if (!checkAt(this.keys, key, key, context)) ok = false
      else if (!checkAt(this.values, item, key, context)) ok = false
    }
    return ok
  }

  schema(definitions: SchemaDefinitions): JsonSchema {
    return {
      type: 'object',
      propertyNames: this.keys.schema(),
      additionalProperties: this.values.schema(definitions),
    }
  }
}

class AnyOfShape<T> extends Shape<T> {
  constructor(
    private readonly options: readonly Shape<T>[],
    private readonly expected: string,
  ) {
    super()
  }

  check(value: unknown, context: CheckContext): boolean {
    for (const option of this.options) {
      const scratch: CheckContext = { errors: [], unknownFields: [], at: [], base: '' }
      if (option.check(value, scratch)) return true
    }
    return fail(context, `must be ${this.expected}, not ${kindOf(value)}`)
  }

  schema(definitions: SchemaDefinitions): JsonSchema {
    return { anyOf: this.options.map((option) => option.schema(definitions)) }
  }
}

export interface Property<T, Optional extends boolean = boolean> {
  readonly shape: Shape<T>
  readonly optional: Optional
  readonly description: string
}

type AnyProperties = Readonly<Record<string, Property<unknown, boolean>>>
type Simplify<T> = { [K in keyof T]: T[K] } & {}
type PropertyType<P> = P extends Property<infer T, boolean> ? T : never
type RequiredKeys<P> = { [K in keyof P]: P[K] extends Property<unknown, true> ? never : K }[keyof P]
type OptionalKeys<P> = { [K in keyof P]: P[K] extends Property<unknown, true> ? K : never }[keyof P]
export type ObjectType<P> = Simplify<
  { readonly [K in RequiredKeys<P>]: PropertyType<P[K]> } & {
    readonly [K in OptionalKeys<P>]?: PropertyType<P[K]>
  }
>

/** Edit distance small enough to suggest a field name ("did you mean 'description'?"). */
function closeTo(a: string, b: string): boolean {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  if (x === y || x.startsWith(y) || y.startsWith(x)) return true
  if (Math.abs(x.length - y.length) > 2) return false
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i)
  for (let i = 1; i <= x.length; i++) {
    const row = [i]
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1))
    }
    previous = row
  }
  return previous[y.length] <= 2
}

export class ObjectShape<P extends AnyProperties> extends Shape<ObjectType<P>> {
  /** The described keys, in the order documents are written. */
  readonly keys: readonly string[]
  private readonly required: readonly string[]

  constructor(
    readonly properties: P,
    private readonly title?: string,
  ) {
    super()
    this.keys = Object.keys(properties)
    this.required = this.keys.filter((key) => !properties[key].optional)
  }

  check(value: unknown, context: CheckContext): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(context, `must be an object, not ${kindOf(value)}`)
    }
    const record = value as Record<string, unknown>
    let ok = true
    // In document order, so problems are listed the way a reader meets them; missing fields after.
    for (const key of Object.keys(record)) {
      const item = record[key]
      if (item === undefined) continue
      const property = Object.hasOwn(this.properties, key) ? this.properties[key] : undefined
      if (property) {
        if (!checkAt(property.shape, item, key, context)) ok = false
      } else {
        const suggestion = this.keys.find((known) => closeTo(key, known))
        context.at.push(key)
        context.unknownFields.push({ path: pathOf(context), ...(suggestion ? { suggestion } : {}) })
        context.at.pop()
      }
    }
    for (const key of this.required) {
      if (record[key] === undefined) {
        context.at.push(key)
        ok = fail(context, `missing (${this.properties[key].description})`)
        context.at.pop()
      }
    }
    return ok
  }

  schema(definitions: SchemaDefinitions): JsonSchema {
    const properties: Record<string, JsonSchema> = {}
    const required: string[] = []
    for (const [key, property] of Object.entries(this.properties)) {
      properties[key] = { description: property.description, ...property.shape.schema(definitions) }
      if (!property.optional) required.push(key)
    }
    return {
      type: 'object',
      ...(this.title ? { title: this.title } : {}),
      properties,
      ...(required.length > 0 ? { required } : {}),
    }
  }
}

/** A shape with a name: emitted once under `$defs` and referenced; `define` may refer to itself (recursion). */
class NamedShape<T> extends Shape<T> {
  private resolved: Shape<T> | undefined

  constructor(
    readonly name: string,
    private readonly define: () => Shape<T>,
  ) {
    super()
  }

  get target(): Shape<T> {
    this.resolved ??= this.define()
    return this.resolved
  }

  check(value: unknown, context: CheckContext): boolean {
    return this.target.check(value, context)
  }

  schema(definitions: SchemaDefinitions): JsonSchema {
    if (!(this.name in definitions.defs)) {
      definitions.defs[this.name] = {} // placeholder: a recursive reference finds the name while we build it
      definitions.defs[this.name] = this.target.schema(definitions)
    }
    return { $ref: `#/$defs/${this.name}` }
  }
}

/** The object shape behind a (possibly named) shape, for writers that need the key order. */
export function objectShapeOf(shape: Shape<unknown>): ObjectShape<AnyProperties> | undefined {
  let current: Shape<unknown> = shape
  while (current instanceof NamedShape) current = current.target
  return current instanceof ObjectShape ? current : undefined
}

/** The item shape of an array shape (or undefined). */
export function itemShapeOf(shape: Shape<unknown>): Shape<unknown> | undefined {
  let current: Shape<unknown> = shape
  while (current instanceof NamedShape) current = current.target
  return current instanceof ArrayShape ? (current.items as Shape<unknown>) : undefined
}

export const text = (options: StringOptions = {}): Shape<string> => new StringShape(options)
export const choice = <T extends string>(...choices: T[]): Shape<T> => new ChoiceShape(choices)
export const number = (options: NumberOptions = {}): Shape<number> => new NumberShape(options)
export const boolean = (): Shape<boolean> => new BooleanShape()
export const literal = <T extends number | string>(value: T): Shape<T> => new LiteralShape(value)
export const list = <T>(items: Shape<T>, options: ArrayOptions = {}): Shape<readonly T[]> =>
  new ArrayShape(items, options)
export const dictionary = <T>(keys: StringOptions, values: Shape<T>): Shape<Readonly<Record<string, T>>> =>
  new RecordShape(new StringShape(keys), values)
export const anyOf = <T>(expected: string, ...options: Shape<T>[]): Shape<T> =>
  new AnyOfShape(options, expected)
export const object = <P extends AnyProperties>(properties: P, title?: string): ObjectShape<P> =>
  new ObjectShape(properties, title)
export const named = <T>(name: string, define: () => Shape<T>): Shape<T> => new NamedShape(name, define)

export function required<T>(shape: Shape<T>, description: string): Property<T, false> {
  return { shape, optional: false, description }
}

export function optional<T>(shape: Shape<T>, description: string): Property<T, true> {
  return { shape, optional: true, description }
}

/** Checks a value against a shape. */
export function checkShape<T>(
  shape: Shape<T>,
  value: unknown,
  path = '',
): { ok: boolean; errors: Issue[]; unknownFields: UnknownField[] } {
  const context: CheckContext = { errors: [], unknownFields: [], at: [], base: path }
  const ok = shape.check(value, context)
  return { ok, errors: context.errors, unknownFields: context.unknownFields }
}

/** The JSON Schema of a shape, with every named shape under `$defs`. */
export function toJsonSchema(shape: Shape<unknown>, header: JsonSchema): JsonSchema {
  const definitions: SchemaDefinitions = { defs: {} }
  const root = shape.schema(definitions)
  const defs = Object.fromEntries(Object.entries(definitions.defs).sort(([a], [b]) => a.localeCompare(b)))
  return { ...header, ...root, ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}) }
}
