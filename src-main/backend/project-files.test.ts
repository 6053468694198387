import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_TEXT_FILE_BYTES } from '@shared/api/files'
import { listDirectory, readTextFile, writeTextFileAtomic } from './project-files'

const root = mkdtempSync(join(tmpdir(), 'ioc-files-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('project files', () => {
  it('lists folders first, then files, by name, without dot-files', async () => {
    const folder = join(root, 'listing')
    mkdirSync(join(folder, 'b-folder'), { recursive: true })
    mkdirSync(join(folder, 'A-folder'))
    writeFileSync(join(folder, 'motor10.ioc.json'), '{}')
    writeFileSync(join(folder, 'motor9.ioc.json'), '{}')
    writeFileSync(join(folder, '.hidden'), '')
    symlinkSync(join(folder, 'A-folder'), join(folder, 'link-to-a'))
    symlinkSync(join(folder, 'nowhere'), join(folder, 'broken-link'))
    const listing = await listDirectory(`${folder}/b-folder/..`)
    expect(listing.path).toBe(folder)
    expect(listing.parent).toBe(root)
    expect(listing.home).toBe(homedir())
    expect(listing.truncated).toBe(false)
    expect(listing.entries.map((e) => `${e.kind[0]} ${e.name}`)).toEqual([
      'd A-folder',
      'd b-folder',
      'd link-to-a',
      'f motor9.ioc.json',
      'f motor10.ioc.json',
    ])
    expect(listing.entries[3]).toMatchObject({ size: 2 })
    expect(listing.entries[3].modified).toBeGreaterThan(0)
    expect((await listDirectory('/')).parent).toBeNull()
  })

  it('explains folders it cannot list', async () => {
    await expect(listDirectory(join(root, 'missing'))).rejects.toThrow(
      `${join(root, 'missing')} does not exist`,
    )
    const file = join(root, 'plain.txt')
    writeFileSync(file, 'x')
    await expect(listDirectory(file)).rejects.toThrow(`${file} is not a folder`)
  })

  it('reads text files and explains why not', async () => {
    const file = join(root, 'server.py')
    writeFileSync(file, 'print("hé")\n')
    expect(await readTextFile(file)).toBe('print("hé")\n')
    expect(await readTextFile(join(root, 'none.py'), true)).toBeNull()
    await expect(readTextFile(join(root, 'none.py'))).rejects.toThrow(/none\.py does not exist/)
    await expect(readTextFile(root)).rejects.toThrow(`${root} is a folder, not a file`)
    const big = join(root, 'big.py')
    writeFileSync(big, Buffer.alloc(MAX_TEXT_FILE_BYTES + 1, 0x20))
    await expect(readTextFile(big)).rejects.toThrow(/at most/)
  })

  it('writes atomically and leaves no temporary file behind', async () => {
    const file = join(root, 'atomic', 'p.ioc.json')
    mkdirSync(dirname(file))
    await writeTextFileAtomic(file, 'one')
    await writeTextFileAtomic(file, 'two')
    expect(readFileSync(file, 'utf8')).toBe('two')
    expect(readdirSync(dirname(file))).toEqual(['p.ioc.json'])
  })

  it('explains a write that cannot happen, and keeps the old file', async () => {
    await expect(writeTextFileAtomic(join(root, 'no-such-folder', 'p.ioc.json'), 'x')).rejects.toThrow(
      `the folder ${join(root, 'no-such-folder')} does not exist`,
    )
    const folder = join(root, 'taken.ioc.json')
    mkdirSync(folder)
    writeFileSync(join(folder, 'keep'), 'old')
    await expect(writeTextFileAtomic(folder, 'new')).rejects.toThrow(`${folder} is a folder, not a file`)
    expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([])
    expect(readFileSync(join(folder, 'keep'), 'utf8')).toBe('old')
  })
})
