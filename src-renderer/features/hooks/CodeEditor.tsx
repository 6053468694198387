import Editor from '@monaco-editor/react'
import type { OnMount } from '@monaco-editor/react'
import * as monaco from 'monaco-editor/editor'
import { useEffect, useMemo, useState } from 'react'
import { attributeOf } from '@shared/model/names'
import type { Project, PvDefinition } from '@shared/model/project'
import { useHookErrors } from '../../state/hook-errors'
import { editProject, useProject } from '../../state/project'
import { addressOfPath, hookBody, setGroupCode, updatePv, withHookBody } from '../../state/project-edits'
import { useSyntaxStore } from '../../state/python-syntax'
import { useColorScheme } from '../../state/theme'
import { locatePv } from '../../state/workbench'
import type { CodePart, PvHookKind } from '../../state/workbench'
import '../editor/monaco'
import { PlusIcon } from '../shell/icons'
import { HOOK_SIGNATURES, HOOK_TEMPLATES } from './hook-templates'
import type { CodeContext } from './intellisense'
import { registerHookLanguage, setModelContext } from './python-language'
import { onRevealLine } from './reveal'
import { ScanOptions } from './ScanOptions'

registerHookLanguage()

const EDITOR_OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  fontSize: 13,
  fontFamily: "ui-monospace, 'Cascadia Code', 'JetBrains Mono', 'SF Mono', Menlo, Consolas, monospace",
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  renderLineHighlight: 'all',
  tabSize: 4,
  insertSpaces: true,
  automaticLayout: true,
  padding: { top: 10 },
  fixedOverflowWidgets: true,
}

const PART_INFO: Readonly<Record<CodePart, { title: string; where: string }>> = {
  imports: {
    title: 'Imports and module code',
    where: 'Module level, after the generated imports: import what hooks need and define helper functions.',
  },
  helpers: {
    title: 'Class helpers',
    where: 'Inside the IOC class after the hooks: methods and constants your hooks call as self.<name>.',
  },
  ainit: {
    title: '__ainit__',
    where:
      'async def __ainit__(self, async_lib): runs once when the IOC starts, before the PV startup hooks.',
  },
}

function sourceOf(project: Project, context: CodeContext): string | undefined {
  if (context.kind === 'code') return project.code?.[context.part] ?? ''
  const location = locatePv(project, context.pvId)
  return location ? hookBody(location.pv, context.hook) : undefined
}

function setSource(project: Project, context: CodeContext, text: string | undefined): Project {
  if (context.kind === 'code') return setGroupCode(project, context.part, text ?? '')
  const location = locatePv(project, context.pvId)
  const address = location ? addressOfPath(location.path) : null
  if (!address) return project
  return updatePv(project, address, (pv) => withHookBody(pv, context.hook, text))
}

function tabKeyOf(context: CodeContext): string {
  return context.kind === 'code' ? `code:${context.part}` : `hook:${context.pvId}:${context.hook}`
}

/** A hook body or group-level Python in Monaco, with caproto intellisense and live syntax markers. */
export function CodeEditor({ context }: { context: CodeContext }) {
  const project = useProject()
  const scheme = useColorScheme()
  const key = tabKeyOf(context)
  const source = project ? sourceOf(project, context) : undefined
  const location = project && context.kind === 'hook' ? locatePv(project, context.pvId) : undefined
  const [editor, setEditor] = useState<monaco.editor.IStandaloneCodeEditor | null>(null)

  useMarkers(editor, key, source, location?.path ?? null, context)
  useEffect(() => {
    if (!editor) return
    return onRevealLine(key, ({ line, column }) => {
      editor.revealLineInCenter(line)
      editor.setPosition({ lineNumber: line, column })
      editor.focus()
    })
  }, [editor, key])

  const onMount: OnMount = (mounted) => {
    const model = mounted.getModel()
    if (model) setModelContext(model, context)
    setEditor(mounted)
  }

  if (!project) return null
  if (context.kind === 'hook' && !location)
    return <div className="panel-empty">This PV no longer exists.</div>
  const label =
    context.kind === 'hook' && location
      ? `${context.hook} of ${location.pv.name}`
      : PART_INFO[(context as { part: CodePart }).part].title

  return (
    <section className="code-editor" aria-label={`Python: ${label}`} data-document-editor>
      {context.kind === 'hook' && location ? (
        <HookHeader pv={location.pv} hook={context.hook} context={context} exists={source !== undefined} />
      ) : (
        <div className="code-header">
          <span className="code-where">{PART_INFO[(context as { part: CodePart }).part].where}</span>
        </div>
      )}
      {source === undefined ? (
        <div className="panel-empty">
          <p>
            {location?.pv.name} has no {(context as { hook: PvHookKind }).hook} hook.
          </p>
          <button
            className="button"
            onClick={() =>
              editProject(`Add ${(context as { hook: PvHookKind }).hook}`, (p) =>
                setSource(p, context, HOOK_TEMPLATES[(context as { hook: PvHookKind }).hook]),
              )
            }
          >
            <PlusIcon />
            Add the hook
          </button>
        </div>
      ) : (
        <div className="editor-host" data-testid={`code-editor ${key}`}>
          <Editor
            language="python"
            path={`file:///${key.replaceAll(':', '/')}.py`}
            value={source}
            theme={scheme === 'dark' ? 'ioc-dark' : 'ioc-light'}
            loading={<div className="editor-loading">Loading editor…</div>}
            options={EDITOR_OPTIONS}
            onMount={onMount}
            onChange={(text) =>
              editProject(`Edit ${label}`, (p) => setSource(p, context, text ?? ''), {
                coalesceKey: key,
              })
            }
          />
        </div>
      )}
    </section>
  )
}

function HookHeader({
  pv,
  hook,
  context,
  exists,
}: {
  pv: PvDefinition
  hook: PvHookKind
  context: CodeContext
  exists: boolean
}) {
  const attr = attributeOf(pv)
  return (
    <div className="code-header">
      <code className="code-signature" aria-label="Signature">
        <span className="code-decorator">
          @{attr}.{hook}
          {hook === 'scan' ? `(period=${pv.hooks?.scan?.period ?? 1})` : ''}
        </span>{' '}
        async def {attr}
        {HOOK_SIGNATURES[hook]}:
      </code>
      {hook === 'scan' && exists && <ScanOptions pv={pv} pvId={(context as { pvId: string }).pvId} />}
      {exists && (
        <button
          className="button small subtle"
          onClick={() => editProject(`Remove ${hook} of ${pv.name}`, (p) => setSource(p, context, undefined))}
        >
          Remove hook
        </button>
      )}
    </div>
  )
}

/** Syntax errors (current ones only) and the running IOC's errors, as markers in the model. */
function useMarkers(
  editor: monaco.editor.IStandaloneCodeEditor | null,
  key: string,
  source: string | undefined,
  pvPath: string | null,
  context: CodeContext,
) {
  const verdict = useSyntaxStore((s) => s.verdicts.get(key))
  const hookErrors = useHookErrors((s) => s.errors)
  const which = context.kind === 'code' ? context.part : context.hook
  const runtime = useMemo(
    () =>
      hookErrors.filter((e) =>
        which === 'ainit' ? e.hook === 'ainit' : e.pvPath === pvPath && e.hook === which,
      ),
    [hookErrors, pvPath, which],
  )
  useEffect(() => {
    const model = editor?.getModel()
    if (!model) return
    const syntax = verdict && verdict.source === source ? verdict.issues : []
    monaco.editor.setModelMarkers(
      model,
      'python-syntax',
      syntax.map((issue) => ({
        severity: monaco.MarkerSeverity.Error,
        message: issue.message,
        startLineNumber: issue.line,
        startColumn: issue.column,
        endLineNumber: issue.line,
        endColumn: model.getLineMaxColumn(Math.min(issue.line, model.getLineCount())),
      })),
    )
    monaco.editor.setModelMarkers(
      model,
      'ioc-runtime',
      runtime
        .filter((e) => e.line !== null && e.line <= model.getLineCount())
        .map((e) => ({
          severity: monaco.MarkerSeverity.Error,
          message: `Raised while the IOC ran: ${e.message}\n\n${e.traceback}`,
          startLineNumber: e.line as number,
          startColumn: model.getLineFirstNonWhitespaceColumn(e.line as number) || 1,
          endLineNumber: e.line as number,
          endColumn: model.getLineMaxColumn(e.line as number),
        })),
    )
  }, [editor, verdict, source, runtime])
}
