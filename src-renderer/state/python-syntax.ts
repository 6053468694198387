/**
 * Python's own syntax verdict on every piece of code in the document, kept current as the user types: a
 * unit whose text changed is compiled by the backend (Pyodide) after a pause, one unit at a time. Results are
 * kept with the text they judged, so a verdict on old text is never shown as current.
 */
import { create } from 'zustand'
import type { PythonSyntaxIssue } from '@shared/api/contract'
import type { Project } from '@shared/model/project'
import { codeUnits, compilableSource, unitPosition } from './code-units'
import type { CodeUnit } from './code-units'

export interface SyntaxVerdict {
  readonly source: string
  /** Positions within the unit's own text. */
  readonly issues: readonly PythonSyntaxIssue[]
}

interface SyntaxStore {
  readonly verdicts: ReadonlyMap<string, SyntaxVerdict>
}

export const useSyntaxStore = create<SyntaxStore>()(() => ({ verdicts: new Map() }))

export type CompileFn = (source: string, fileName: string) => Promise<PythonSyntaxIssue[]>

export class SyntaxChecker {
  private timer: ReturnType<typeof setTimeout> | undefined
  private running = false
  private units: readonly CodeUnit[] = []

  constructor(
    private readonly compile: CompileFn,
    private readonly delayMs = 400,
    /** After the backend could not check (Python still loading, connection lost), try again this much later. */
    private readonly retryMs = 3000,
  ) {}

  /** The document changed: check what changed once typing pauses. */
  update(project: Project): void {
    this.units = codeUnits(project)
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.run(), this.delayMs)
  }

  /** Checks everything that has no current verdict; resolves when done (tests and Start wait for it). */
  async run(): Promise<void> {
    clearTimeout(this.timer)
    if (this.running) return
    this.running = true
    try {
      for (;;) {
        const { verdicts } = useSyntaxStore.getState()
        const unit = this.units.find((u) => verdicts.get(u.key)?.source !== u.source)
        if (!unit) break
        let issues: PythonSyntaxIssue[]
        try {
          const found = await this.compile(compilableSource(unit), `<${unit.label}>`)
          issues = found.map((issue) => ({ ...issue, ...unitPosition(unit, issue.line, issue.column) }))
        } catch {
          clearTimeout(this.timer)
          this.timer = setTimeout(() => void this.run(), this.retryMs)
          break
        }
        const next = new Map(useSyntaxStore.getState().verdicts)
        next.set(unit.key, { source: unit.source, issues })
        useSyntaxStore.setState({ verdicts: next })
      }
    } finally {
      this.running = false
    }
  }

  dispose(): void {
    clearTimeout(this.timer)
  }
}

/** Syntax errors that are current for `units` (verdicts on text that has since changed are left out). */
export function currentSyntaxErrors(
  units: readonly CodeUnit[],
  verdicts: ReadonlyMap<string, SyntaxVerdict>,
): Array<{ unit: CodeUnit; issue: PythonSyntaxIssue }> {
  const found: Array<{ unit: CodeUnit; issue: PythonSyntaxIssue }> = []
  for (const unit of units) {
    const verdict = verdicts.get(unit.key)
    if (verdict?.source !== unit.source) continue
    for (const issue of verdict.issues) found.push({ unit, issue })
  }
  return found
}
