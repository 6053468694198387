import { describe, expect, it } from 'vitest'
import type { HookError } from '@shared/api/contract'
import type { Project } from '@shared/model/project'
import { codeUnits } from './code-units'
import { listProblems, startBlocker, targetOfPath } from './problems'
import { pvId } from './pv-ids'
import type { SyntaxVerdict } from './python-syntax'

const project: Project = {
  formatVersion: 1,
  server: { name: 'Lab', className: 'Lab', prefix: 'LAB:' },
  pvs: [
    { name: 'sp', type: 'DOUBLE', hooks: { putter: 'return (' } },
    { name: 'sp', type: 'STRING', value: 'x'.repeat(45) },
  ],
}

describe('problems', () => {
  it('points each path at the tab that fixes it', () => {
    const [sp] = project.pvs
    expect(targetOfPath(project, 'pvs[0].units')).toBe(`pv:${pvId(sp)}`)
    expect(targetOfPath(project, 'pvs[0].hooks.putter')).toBe(`hook:${pvId(sp)}:putter`)
    expect(targetOfPath(project, 'server.prefix')).toBe('view:server')
    expect(targetOfPath(project, 'code.helpers')).toBe('code:helpers')
    expect(targetOfPath(project, 'verbatim[0]')).toBe('view:server')
    expect(targetOfPath(project, 'pvs[9].name')).toBeNull()
  })

  it('lists document problems, syntax errors and runtime errors, errors first; only the first two block Start', () => {
    const putter = codeUnits(project)[0]
    const verdicts = new Map<string, SyntaxVerdict>([
      [
        putter.key,
        { source: putter.source, issues: [{ line: 1, column: 8, message: "'(' was never closed" }] },
      ],
    ])
    const runtime: HookError = {
      time: 0,
      pv: 'LAB:sp',
      pvPath: 'pvs[0]',
      hook: 'putter',
      message: 'ZeroDivisionError: division by zero',
      traceback: '',
      scriptLine: 20,
      line: 1,
    }
    const hookErrors = [runtime]
    const problems = listProblems(project, verdicts, hookErrors)
    expect(problems.filter((p) => p.source === 'project').length).toBeGreaterThanOrEqual(2)
    const messages = problems.map((p) => `${p.severity} ${p.source} ${p.path}`)
    expect(messages).toContain('error project pvs[1].name')
    expect(messages).toContain('error project pvs[1].value')
    expect(messages).toContain('error python pvs[0].hooks.putter')
    expect(messages).toContain('error runtime pvs[0].hooks.putter')
    expect(problems.find((p) => p.source === 'python')).toMatchObject({
      line: 1,
      column: 8,
      target: putter.key,
    })
    expect(startBlocker(problems)).toMatch(/^Fix pvs\[\d\]\.\w+: .* \(and \d+ more problems\)$/)
    expect(listProblems(project, verdicts, hookErrors)).toBe(problems)
    expect(startBlocker([{ ...problems[0], source: 'runtime' }])).toBeNull()
  })
})
