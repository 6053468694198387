import { describe, expect, it } from 'vitest'
import { MemoryRecentProjects, RECENT_PROJECTS_LIMIT } from './recent-projects'

describe('MemoryRecentProjects', () => {
  it('keeps the newest first, without duplicates, bounded, and reports changes', () => {
    const recent = new MemoryRecentProjects()
    const seen: (readonly string[])[] = []
    recent.onDidChange((list) => seen.push(list))
    recent.add('/a.ioc.json')
    recent.add('/b.ioc.json')
    recent.add('/a.ioc.json')
    expect(recent.list).toEqual(['/a.ioc.json', '/b.ioc.json'])
    recent.remove('/b.ioc.json')
    recent.remove('/never.ioc.json')
    expect(seen).toHaveLength(4)
    for (let i = 0; i < RECENT_PROJECTS_LIMIT + 5; i++) recent.add(`/p${i}.ioc.json`)
    expect(recent.list).toHaveLength(RECENT_PROJECTS_LIMIT)
    expect(recent.list[0]).toBe(`/p${RECENT_PROJECTS_LIMIT + 4}.ioc.json`)
  })
})
