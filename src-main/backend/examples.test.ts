import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadExamples } from './examples'

const root = mkdtempSync(join(tmpdir(), 'ioc-examples-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const project = (name: string, pvs: number) =>
  JSON.stringify({
    formatVersion: 1,
    server: { name, className: 'Example', prefix: 'EX:', description: `${name} example` },
    pvs: Array.from({ length: pvs }, (_, i) => ({ name: `pv${i}`, type: 'DOUBLE' })),
  })

describe('loadExamples', () => {
  it('lists valid projects at the top and one folder down, by name, and warns about broken ones', async () => {
    writeFileSync(join(root, 'motor.ioc.json'), project('Motor simulator', 3))
    mkdirSync(join(root, 'beamline'))
    writeFileSync(join(root, 'beamline', 'beamline.ioc.json'), project('Beamline', 7))
    writeFileSync(join(root, 'broken.ioc.json'), '{"formatVersion": 1}')
    writeFileSync(join(root, 'README.md'), '# examples')
    const warnings: string[] = []
    const examples = await loadExamples(root, (m) => warnings.push(m))
    expect(
      examples.map(({ id, name, description, pvCount }) => ({ id, name, description, pvCount })),
    ).toEqual([
      { id: 'beamline', name: 'Beamline', description: 'Beamline example', pvCount: 7 },
      { id: 'motor', name: 'Motor simulator', description: 'Motor simulator example', pvCount: 3 },
    ])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/broken\.ioc\.json is not a valid project: server/)
  })

  it('answers an empty list for a missing folder', async () => {
    const warnings: string[] = []
    expect(await loadExamples(join(root, 'nowhere'), (m) => warnings.push(m))).toEqual([])
    expect(warnings[0]).toMatch(/cannot be read/)
  })
})
