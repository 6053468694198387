import { useHookErrors } from '../../state/hook-errors'
import { listProblems } from '../../state/problems'
import type { ListedProblem } from '../../state/problems'
import { useProject } from '../../state/project'
import { useSyntaxStore } from '../../state/python-syntax'

const NONE: ListedProblem[] = []

/** Every problem of the open project; the same array until something it depends on changes. */
export function useProblems(): readonly ListedProblem[] {
  const project = useProject()
  const verdicts = useSyntaxStore((s) => s.verdicts)
  const hookErrors = useHookErrors((s) => s.errors)
  return project ? listProblems(project, verdicts, hookErrors) : NONE
}

const byPath = new WeakMap<readonly ListedProblem[], Map<string, 'error' | 'warning'>>()

/** The worst problem per PV path (`subGroups[0].pvs[2]`), for markers in the tree and the table. */
export function useProblemsByPath(): ReadonlyMap<string, 'error' | 'warning'> {
  const problems = useProblems()
  let map = byPath.get(problems)
  if (!map) {
    map = new Map()
    for (const problem of problems) {
      const pv = /^(?:subGroups\[\d+\]\.)*pvs\[\d+\]/.exec(problem.path)?.[0]
      if (!pv || map.get(pv) === 'error') continue
      map.set(pv, problem.severity)
    }
    byPath.set(problems, map)
  }
  return map
}

/** Problems of one PV (its path and everything under it), for inline messages in its form. */
export function problemsUnder(problems: readonly ListedProblem[], path: string): ListedProblem[] {
  return problems.filter(
    (p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`),
  )
}
