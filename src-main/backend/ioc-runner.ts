/**
 * What the Backend needs to run the open project as an IOC. ProjectSession (./project-session) is the real
 * one: the project exported with the shared generator, run in Pyodide, served by our CA server. Hosts' own
 * plumbing tests may run the bare CA server instead (no PVs, no Python): see `bareCaServerRunner`.
 */
import type { ApplySummary, DocumentIssue, PythonSyntaxIssue, ServerStatus } from '@shared/api/contract'
import type { Event } from '@shared/base/event'
import type { Project } from '@shared/model/project'
import type { HookFailureReport as SessionHookError } from '../python/python-ioc'
import { ServerController } from './server-controller'
import type { CaServerLauncher, ServerLog } from './server-controller'

export type { SessionHookError }

export interface ImportedScript {
  readonly project: Project
  /** Code kept verbatim, arguments the document cannot say…: what the user should review. */
  readonly warnings: readonly DocumentIssue[]
}

export interface IocRunner {
  readonly status: ServerStatus
  readonly onDidChangeStatus: Event<ServerStatus>
  readonly onDidHookError: Event<SessionHookError>
  /** Runs the project; `path` is its file (autosave lives beside it), null while untitled. */
  start(project: Project, path: string | null): Promise<ServerStatus>
  /** Hot reload: PVs added, removed or redefined and hooks swapped while clients stay connected. */
  apply(project: Project): Promise<ApplySummary>
  stop(): Promise<ServerStatus>
  checkPythonSyntax(source: string, fileName: string): Promise<PythonSyntaxIssue[]>
  importScript(source: string, fileName: string): Promise<ImportedScript>
  dispose(): Promise<void>
}

const NO_PYTHON = 'This backend serves a bare Channel Access server: it runs no projects and no Python'

/** The Channel Access server alone, serving nothing: lets host adapters test their plumbing without Python. */
export function bareCaServerRunner(launch: CaServerLauncher, log: ServerLog): IocRunner {
  const controller = new ServerController(launch, log)
  const refuse = () => Promise.reject(new Error(NO_PYTHON))
  return {
    get status() {
      return controller.status
    },
    onDidChangeStatus: controller.onDidChangeStatus,
    onDidHookError: () => ({ dispose() {} }),
    start: () => controller.start(),
    stop: () => controller.stop(),
    apply: refuse,
    checkPythonSyntax: refuse,
    importScript: refuse,
    dispose: () => controller.dispose(),
  }
}
