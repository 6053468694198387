import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RECENT_FILES_LIMIT, RecentFiles, parseRecentFiles, withRecentFile } from './recent-files'

describe('withRecentFile', () => {
  it('puts the file first, once, and drops the oldest past the limit', () => {
    expect(withRecentFile([], '/a.ioc.json')).toEqual(['/a.ioc.json'])
    expect(withRecentFile(['/a', '/b', '/c'], '/c')).toEqual(['/c', '/a', '/b'])
    const full = Array.from({ length: RECENT_FILES_LIMIT }, (_, i) => `/p${i}`)
    const next = withRecentFile(full, '/new')
    expect(next).toHaveLength(RECENT_FILES_LIMIT)
    expect(next[0]).toBe('/new')
    expect(next).not.toContain(`/p${RECENT_FILES_LIMIT - 1}`)
  })

  it('parses only a list of non-empty strings from disk', () => {
    expect(parseRecentFiles(['/a', 3, '', '/a', null, '/b'])).toEqual(['/a', '/b'])
    expect(parseRecentFiles({ 0: '/a' })).toEqual([])
    expect(parseRecentFiles(undefined)).toEqual([])
  })
})

describe('RecentFiles', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-recent-'))
    file = join(dir, 'recent-files.json')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('persists across instances and tells listeners about every change', () => {
    const recent = new RecentFiles(file)
    const seen: (readonly string[])[] = []
    recent.onDidChange((list) => seen.push(list))
    recent.add('/x/one.json')
    recent.add('/x/two.json')
    recent.add('/x/one.json')
    expect(recent.list).toEqual(['/x/one.json', '/x/two.json'])
    expect(new RecentFiles(file).list).toEqual(['/x/one.json', '/x/two.json'])

    recent.remove('/x/two.json')
    recent.remove('/not/there')
    expect(new RecentFiles(file).list).toEqual(['/x/one.json'])
    recent.clear()
    recent.clear()
    expect(new RecentFiles(file).list).toEqual([])
    expect(seen).toEqual([
      ['/x/one.json'],
      ['/x/two.json', '/x/one.json'],
      ['/x/one.json', '/x/two.json'],
      ['/x/one.json'],
      [],
    ])
  })

  it('starts empty from a corrupt file and repairs it on the next change', () => {
    writeFileSync(file, 'not json')
    const recent = new RecentFiles(file)
    expect(recent.list).toEqual([])
    recent.add('/y.json')
    expect(new RecentFiles(file).list).toEqual(['/y.json'])
  })
})
