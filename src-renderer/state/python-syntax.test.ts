import { afterEach, describe, expect, it } from 'vitest'
import type { Project } from '@shared/model/project'
import { codeUnits } from './code-units'
import { currentSyntaxErrors, SyntaxChecker, useSyntaxStore } from './python-syntax'

const withPutter = (putter: string): Project => ({
  formatVersion: 1,
  server: { name: 'Lab', className: 'Lab', prefix: 'LAB:' },
  pvs: [{ name: 'sp', type: 'DOUBLE', hooks: { putter } }],
  code: { imports: 'import math' },
})

/** A stand-in for the backend's compile(): complains about a line that says `oops`, counts calls. */
function compiler() {
  const calls: string[] = []
  const compile = async (source: string, fileName: string) => {
    calls.push(fileName)
    const lines = source.split('\n')
    const at = lines.findIndex((l) => l.includes('oops'))
    return at === -1
      ? []
      : [{ line: at + 1, column: lines[at].indexOf('oops') + 1, message: 'invalid syntax' }]
  }
  return { calls, compile }
}

afterEach(() => useSyntaxStore.setState({ verdicts: new Map() }))

describe('SyntaxChecker', () => {
  it('checks each unit once per text and maps positions into the body', async () => {
    const { calls, compile } = compiler()
    const checker = new SyntaxChecker(compile, 10_000)
    const broken = withPutter('x = 1\noops')
    checker.update(broken)
    await checker.run()
    expect(calls).toEqual(['<putter of sp>', '<group imports>'])
    const errors = currentSyntaxErrors(codeUnits(broken), useSyntaxStore.getState().verdicts)
    expect(errors.map((e) => [e.unit.path, e.issue.line, e.issue.column])).toEqual([
      ['pvs[0].hooks.putter', 2, 1],
    ])

    await checker.run()
    expect(calls).toHaveLength(2)
    const fixed = withPutter('x = 1\nreturn x')
    checker.update(fixed)
    await checker.run()
    expect(calls).toHaveLength(3)
    expect(currentSyntaxErrors(codeUnits(fixed), useSyntaxStore.getState().verdicts)).toEqual([])
    checker.dispose()
  })

  it('never shows a verdict on text that has changed since', async () => {
    const { compile } = compiler()
    const checker = new SyntaxChecker(compile, 10_000)
    checker.update(withPutter('oops'))
    await checker.run()
    const edited = codeUnits(withPutter('oops, edited'))
    expect(currentSyntaxErrors(edited, useSyntaxStore.getState().verdicts)).toEqual([])
    checker.dispose()
  })

  it('tries again a while after the backend could not check', async () => {
    let up = false
    const checker = new SyntaxChecker(
      async () => {
        if (!up) throw new Error('disconnected')
        return []
      },
      10_000,
      30,
    )
    checker.update(withPutter('x = 1'))
    await checker.run()
    expect(useSyntaxStore.getState().verdicts.size).toBe(0)
    up = true
    await expect.poll(() => useSyntaxStore.getState().verdicts.size).toBe(2)
    checker.dispose()
  })
})
