import { describe, expect, it } from 'vitest'
import type { Project } from '@shared/model/project'
import { blankProject, ProjectDocument } from './project-document'

const serialize = (project: Project) => `${JSON.stringify(project, null, 2)}\n`
const named = (name: string): Project => ({ ...blankProject(), server: { ...blankProject().server, name } })

describe('ProjectDocument', () => {
  it('starts blank, untitled and clean', () => {
    const doc = new ProjectDocument(serialize)
    expect(doc.open).toMatchObject({ path: null, dirty: false, documentId: 1, warnings: [] })
    expect(doc.project.pvs).toEqual([])
  })

  it('is dirty while the document differs from the saved text, and clean again when it matches', () => {
    const doc = new ProjectDocument(serialize)
    const original = doc.project
    expect(doc.update(named('Edited'))).toBe(true)
    expect(doc.dirty).toBe(true)
    expect(doc.update(named('Edited again'))).toBe(false)
    expect(doc.update(original)).toBe(true)
    expect(doc.dirty).toBe(false)
  })

  it('records a save, and keeps the document id', () => {
    const doc = new ProjectDocument(serialize)
    doc.update(named('Lab'))
    doc.saved('/tmp/lab.ioc.json', serialize(named('Lab')))
    expect(doc.fileState).toEqual({ path: '/tmp/lab.ioc.json', dirty: false, documentId: 1 })
  })

  it('stays dirty after a save when the editor moved on meanwhile', () => {
    const doc = new ProjectDocument(serialize)
    doc.update(named('Newer'))
    doc.saved('/tmp/lab.ioc.json', serialize(named('Older')))
    expect(doc.dirty).toBe(true)
  })

  it('a replacing document gets a new id; an unsaved import starts dirty and stays so', () => {
    const doc = new ProjectDocument(serialize)
    doc.replace({
      project: named('Imported'),
      path: null,
      warnings: [{ path: 'verbatim[0]', message: 'review' }],
      saved: false,
    })
    expect(doc.open).toMatchObject({ path: null, dirty: true, documentId: 2 })
    expect(doc.open.warnings).toHaveLength(1)
    expect(doc.update(named('Imported'))).toBe(false)
    expect(doc.dirty).toBe(true)
    doc.replace({ project: named('Opened'), path: '/p/x.ioc.json', warnings: [], saved: true })
    expect(doc.fileState).toEqual({ path: '/p/x.ioc.json', dirty: false, documentId: 3 })
  })
})
