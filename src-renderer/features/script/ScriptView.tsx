import Editor from '@monaco-editor/react'
import { useMemo } from 'react'
import { exportCaprotoScript, ExportError } from '@shared/codegen/caproto-script'
import type { Project } from '@shared/model/project'
import { showNotice } from '../../state/app'
import { useProject } from '../../state/project'
import { useColorScheme } from '../../state/theme'
import { showPanel } from '../../state/workbench'
import '../editor/monaco'
import { exportScript } from '../files/file-commands'
import { CopyIcon, ExportIcon } from '../shell/icons'

export type GeneratedScript =
  { readonly ok: true; readonly script: string } | { readonly ok: false; readonly reason: string }

const cache = new WeakMap<Project, GeneratedScript>()

/** The script the project runs as and exports to (one generator for both), memoized per document. */
export function generatedScript(project: Project): GeneratedScript {
  let result = cache.get(project)
  if (!result) {
    try {
      result = { ok: true, script: exportCaprotoScript(project) }
    } catch (error) {
      // ExportError lists the blocking problems; anything else is a bug worth showing rather than a blank view.
      result = {
        ok: false,
        reason: error instanceof ExportError ? error.message : `The exporter failed: ${error}`,
      }
    }
    cache.set(project, result)
  }
  return result
}

/** Read-only: the whole generated caproto script, as the IOC runs it and Export writes it. */
export function ScriptView() {
  const project = useProject()
  const scheme = useColorScheme()
  const generated = useMemo(() => (project ? generatedScript(project) : null), [project])
  if (!generated) return null
  return (
    <section className="code-editor" aria-label="Generated script">
      <div className="code-header">
        <span className="code-where">
          The caproto script this project runs as and exports to. Edit the project, not this text.
        </span>
        <div className="button-row">
          <button
            className="button small"
            disabled={!generated.ok}
            onClick={() =>
              generated.ok &&
              navigator.clipboard.writeText(generated.script).then(
                () => showNotice('Copied the script'),
                () => showNotice('The clipboard is not available here'),
              )
            }
          >
            <CopyIcon />
            Copy
          </button>
          <button className="button small" disabled={!generated.ok} onClick={() => void exportScript()}>
            <ExportIcon />
            Export…
          </button>
        </div>
      </div>
      {generated.ok ? (
        <div className="editor-host" data-testid="generated-script">
          <Editor
            language="python"
            path="file:///generated/script.py"
            value={generated.script}
            theme={scheme === 'dark' ? 'ioc-dark' : 'ioc-light'}
            loading={<div className="editor-loading">Loading editor…</div>}
            options={{
              readOnly: true,
              domReadOnly: true,
              fontSize: 13,
              minimap: { enabled: false },
              scrollBeyondLastLine: false,
              automaticLayout: true,
              padding: { top: 10 },
            }}
          />
        </div>
      ) : (
        <div className="panel-empty">
          <p className="pre">{generated.reason}</p>
          <button className="button small" onClick={() => showPanel('problems')}>
            Show Problems
          </button>
        </div>
      )}
    </section>
  )
}
