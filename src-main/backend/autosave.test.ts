import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PvDatabase } from '../ioc'
import { Autosave, autosavePathFor, parseAutosaveData } from './autosave'

const dir = mkdtempSync(join(tmpdir(), 'ioc-autosave-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function database(): PvDatabase {
  const db = new PvDatabase()
  db.define({ name: 'x:mode', type: 'ENUM', enumStrings: ['Off', 'On', 'Auto'], value: 'Auto' })
  db.define({ name: 'x:wave', type: 'DOUBLE', maxLength: 4, value: [1, 2.5] })
  db.define({ name: 'x:text', type: 'CHAR', longString: true, maxLength: 64, value: 'hello' })
  db.define({ name: 'x:limited', type: 'LONG', value: 1, controlLimits: { low: 0, high: 10 } })
  return db
}

describe('autosave', () => {
  it('lives beside the project', () => {
    expect(autosavePathFor('/p/motor.ioc.json')).toBe('/p/motor.autosave.json')
    expect(autosavePathFor('/p/server.py')).toBe('/p/server.autosave.json')
    expect(autosavePathFor('/p/notes')).toBe('/p/notes.autosave.json')
  })

  it("writes caproto's format: enum labels, arrays, long strings as text", () => {
    const path = join(dir, 'a.autosave.json')
    const log: string[] = []
    const autosave = new Autosave({
      database: database(),
      path,
      pvNames: ['x:mode', 'x:wave', 'x:text', 'x:gone'],
      log: (_level, message) => log.push(message),
    })
    expect(autosave.save()).toBe(true)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      'x:mode': { value: 'Auto', fields: {} },
      'x:wave': { value: [1, 2.5], fields: {} },
      'x:text': { value: 'hello', fields: {} },
    })
  })

  it('restores through the write pipeline, skipping PVs it does not know and values a PV refuses', async () => {
    const path = join(dir, 'b.autosave.json')
    writeFileSync(
      path,
      JSON.stringify({
        'x:mode': { value: 'On', fields: { description: 'caproto saves this' } },
        'x:limited': { value: 99 },
        'x:other': { value: 1 },
      }),
    )
    const db = database()
    const log: string[] = []
    const autosave = new Autosave({
      database: db,
      path,
      pvNames: ['x:mode', 'x:limited'],
      log: (_l, m) => log.push(m),
    })
    expect(await autosave.restore()).toEqual({
      restored: ['x:mode'],
      skipped: ['x:other'],
      failed: ['x:limited'],
    })
    expect(db.get('x:mode')?.value).toBe(1)
    expect(db.get('x:limited')?.value).toBe(1)
    expect(log[0]).toMatch(/^Autosave: x:limited not restored: /)
  })

  it('a missing file restores nothing quietly; a broken one says why', async () => {
    const log: string[] = []
    const quiet = new Autosave({
      database: database(),
      path: join(dir, 'none.json'),
      pvNames: [],
      log: (_l, m) => log.push(m),
    })
    expect(await quiet.restore()).toEqual({ restored: [], skipped: [], failed: [] })
    expect(log).toEqual([])
    expect(() => parseAutosaveData('[1]')).toThrow('expected an object of PV names')
    expect(() => parseAutosaveData('{"a": 1}')).toThrow('"a": expected { "value": … }')
    expect(() => parseAutosaveData('{')).toThrow(/^not JSON/)
  })
})
