import { useMemo } from 'react'
import type { ListedProblem } from '../../state/problems'
import { parseTabKey, openTab } from '../../state/workbench'
import { ErrorIcon, WarningIcon } from '../shell/icons'
import { revealLine } from '../hooks/reveal'
import { useProblems } from './use-problems'

const SOURCE_LABEL: Record<ListedProblem['source'], string> = {
  project: 'Project',
  python: 'Python',
  runtime: 'Running IOC',
}

function open(problem: ListedProblem): void {
  if (!problem.target) return
  const ref = parseTabKey(problem.target)
  if (!ref) return
  openTab(ref)
  if (problem.line !== undefined) revealLine(problem.target, problem.line, problem.column ?? 1)
}

/** Everything wrong with the project, errors first; a click opens the place to fix it. */
export function ProblemsPanel() {
  const problems = useProblems()
  if (problems.length === 0) {
    return <div className="panel-empty">No problems. The project can start and export.</div>
  }
  return (
    <ul className="problems" aria-label="Problems" data-testid="problems">
      {problems.map((problem, index) => (
        <li key={`${problem.source}:${problem.path}:${index}`}>
          <button
            className="problem"
            data-severity={problem.severity}
            disabled={!problem.target}
            onClick={() => open(problem)}
          >
            {problem.severity === 'error' ? <ErrorIcon /> : <WarningIcon />}
            <span className="problem-message">{problem.message}</span>
            <span className="problem-path">{problem.path}</span>
            <span className="problem-source">{SOURCE_LABEL[problem.source]}</span>
          </button>
        </li>
      ))}
    </ul>
  )
}

/** The tab's count: errors in red, else warnings. */
export function useProblemsBadge() {
  const problems = useProblems()
  return useMemo(() => {
    const errors = problems.filter((p) => p.severity === 'error').length
    if (errors > 0) return { count: errors, tone: 'error' as const }
    return problems.length > 0 ? { count: problems.length, tone: 'warning' as const } : null
  }, [problems])
}
