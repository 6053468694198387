/**
 * Everything the Problems panel lists, in one list: the document's own problems (checkProject), Python syntax
 * errors in hooks and group code (compile() in the backend), and exceptions the running IOC's hooks raised.
 * Each says which tab fixes it. Errors from the first two block Start; runtime errors do not.
 */
import type { HookError } from '@shared/api/contract'
import { checkProject } from '@shared/model/check'
import type { Project } from '@shared/model/project'
import { codeUnits } from './code-units'
import { addressOfPath, pvAt } from './project-edits'
import { pvId } from './pv-ids'
import { currentSyntaxErrors } from './python-syntax'
import type { SyntaxVerdict } from './python-syntax'

export interface ListedProblem {
  readonly severity: 'error' | 'warning'
  readonly source: 'project' | 'python' | 'runtime'
  /** Document path, e.g. `pvs[3].enumStrings`. */
  readonly path: string
  readonly message: string
  /** Tab key that shows it (see ./workbench), or null. */
  readonly target: string | null
  readonly line?: number
  readonly column?: number
}

const HOOK_IN_PATH = /\.hooks\.(putter|getter|startup|shutdown|scan)\b/

/** The tab where the thing at `path` is edited. */
export function targetOfPath(project: Project, path: string): string | null {
  const code = /^code\.(imports|helpers|ainit)\b/.exec(path)
  if (code) return `code:${code[1]}`
  if (path.startsWith('server') || path.startsWith('access') || path.startsWith('verbatim'))
    return 'view:server'
  const address = addressOfPath(path)
  const pv = address ? pvAt(project, address) : undefined
  if (!pv) return path.startsWith('subGroups') ? 'view:table' : null
  const hook = HOOK_IN_PATH.exec(path)
  return hook ? `hook:${pvId(pv)}:${hook[1]}` : `pv:${pvId(pv)}`
}

function runtimeProblem(project: Project, error: HookError): ListedProblem {
  const where = error.pv ? `${error.hook} of ${error.pv}` : error.hook === 'ainit' ? '__ainit__' : error.hook
  const pv = error.pvPath
    ? pvAt(project, addressOfPath(error.pvPath) ?? { groups: [], index: -1 })
    : undefined
  const target = error.hook === 'ainit' ? 'code:ainit' : pv ? `hook:${pvId(pv)}:${error.hook}` : null
  return {
    severity: 'error',
    source: 'runtime',
    path: error.pvPath ? `${error.pvPath}.hooks.${error.hook}` : where,
    message: `${where} raised ${error.message}${error.line !== null ? ` (line ${error.line})` : ''}`,
    target,
    ...(error.line !== null ? { line: error.line, column: 1 } : {}),
  }
}

let memo:
  | {
      project: Project
      verdicts: ReadonlyMap<string, SyntaxVerdict>
      hookErrors: readonly HookError[]
      result: ListedProblem[]
    }
  | undefined

/** The whole list, errors first; the same array while its inputs are the same (safe in a render). */
export function listProblems(
  project: Project,
  verdicts: ReadonlyMap<string, SyntaxVerdict>,
  hookErrors: readonly HookError[],
): ListedProblem[] {
  if (memo && memo.project === project && memo.verdicts === verdicts && memo.hookErrors === hookErrors) {
    return memo.result
  }
  const listed: ListedProblem[] = checkProject(project).map((problem) => ({
    ...problem,
    source: 'project',
    target: targetOfPath(project, problem.path),
  }))
  for (const { unit, issue } of currentSyntaxErrors(codeUnits(project), verdicts)) {
    listed.push({
      severity: 'error',
      source: 'python',
      path: unit.path,
      message: `${unit.label}, line ${issue.line}: ${issue.message}`,
      target: unit.key,
      line: issue.line,
      column: issue.column,
    })
  }
  for (const error of hookErrors) listed.push(runtimeProblem(project, error))
  const order = { error: 0, warning: 1 }
  const result = listed
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => order[a.problem.severity] - order[b.problem.severity] || a.index - b.index)
    .map(({ problem }) => problem)
  memo = { project, verdicts, hookErrors, result }
  return result
}

/** Why Start is not possible, or null: the first blocking problem and how many there are. */
export function startBlocker(problems: readonly ListedProblem[]): string | null {
  const blocking = problems.filter((p) => p.severity === 'error' && p.source !== 'runtime')
  if (blocking.length === 0) return null
  const first = blocking[0]
  const more =
    blocking.length > 1 ? ` (and ${blocking.length - 1} more problem${blocking.length > 2 ? 's' : ''})` : ''
  return `Fix ${first.path}: ${first.message}${more}`
}
