/**
 * docs/project-schema.json is generated from the TypeScript model; this test fails when they drift
 * (UPDATE_SCHEMA=1 rewrites the file). A real JSON Schema validator (ajv, draft 2020-12) then checks that the
 * published schema accepts every fixture and rejects the documents the loader rejects.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import * as prettier from 'prettier'
import { describe, expect, it } from 'vitest'
import { projectJsonSchema } from '@shared/model/json-schema'
import { parseProject } from '@shared/model/parse'

const SCHEMA_FILE = join(import.meta.dirname, '../../docs/project-schema.json')
const FIXTURES = join(import.meta.dirname, '../fixtures/projects')

it('docs/project-schema.json is the schema generated from the model (formatted as the repository formats JSON)', async () => {
  const options = await prettier.resolveConfig(SCHEMA_FILE)
  const generated = await prettier.format(JSON.stringify(projectJsonSchema()), { ...options, parser: 'json' })
  if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, generated)
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated)
})

describe('the published schema, run by ajv', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema)

  it.each(readdirSync(FIXTURES).filter((file) => file.endsWith('.ioc.json')))('accepts %s', (file) => {
    const document = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as unknown
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true)
  })

  const minimal = {
    formatVersion: 1,
    server: { name: 'X', className: 'X', prefix: 'x:' },
    pvs: [{ name: 'a', type: 'DOUBLE' }],
  }
  const pv = (fields: object) => ({ ...minimal, pvs: [{ name: 'a', type: 'DOUBLE', ...fields }] })

  it.each([
    ['no server', { formatVersion: 1, pvs: [] }],
    ['a newer format', { ...minimal, formatVersion: 2 }],
    ['an unknown type', pv({ type: 'INT64' })],
    ['17 enum states', pv({ type: 'ENUM', enumStrings: Array.from({ length: 17 }, (_, i) => `s${i}`) })],
    ['a 26-character state', pv({ type: 'ENUM', enumStrings: ['x'.repeat(26)] })],
    ['a precision of 18', pv({ precision: 18 })],
    ['a fractional maxLength', pv({ maxLength: 2.5 })],
    ['units longer than 7', pv({ units: 'degrees' + 'C' })],
    ['a limit without enabled', pv({ controlLimits: { low: { value: 1 } } })],
    ['an attr starting with _', pv({ attr: '_hidden' })],
    ['a class name with a dash', { ...minimal, server: { ...minimal.server, className: 'My-IOC' } }],
    ['a scan period of 0', pv({ hooks: { scan: { body: 'pass', period: 0 } } })],
    ['an access level LIST', { ...minimal, access: { rules: [{ pvPattern: '*', access: 'LIST' }] } }],
    ['a port above 65535', { ...minimal, server: { ...minimal.server, serverPort: 70000 } }],
    ['a value that is an object', pv({ value: { x: 1 } })],
  ])('rejects %s, as the loader does', (_, document) => {
    expect(validate(document)).toBe(false)
    expect(parseProject(document).ok).toBe(false)
  })

  it('accepts fields it does not know, as the loader does', () => {
    const document = { ...pv({ colour: 'red' }), comment: 'hand-written' }
    expect(validate(document)).toBe(true)
    expect(parseProject(document).ok).toBe(true)
  })
})
