import { useEffect, useMemo, useState } from 'react'
import type { ExportPreview } from '@shared/api/contract'
import { withExtension } from '@shared/api/files'
import { getPlatform } from '../../platform/api'
import { pickFile } from '../../platform/file-picker'
import { showNotice } from '../../state/app'
import { diffLines } from '../export/line-diff'
import type { LineDiff } from '../export/line-diff'
import { Modal } from './Modal'

type Tab = 'script' | 'changes'

/**
 * Export: the script the project becomes, where it goes, and, when a file is there already, what writing
 * over it would change (a line diff against the file on disk).
 */
export function ExportDialog({ onDone }: { onDone: () => void }) {
  const api = getPlatform().api
  const [preview, setPreview] = useState<ExportPreview | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [target, setTarget] = useState('')
  /** The file at a target path, as last read: null when there is none. */
  const [onDisk, setOnDisk] = useState<{ readonly path: string; readonly text: string | null } | null>(null)
  const [tab, setTab] = useState<Tab>('script')
  const [writing, setWriting] = useState(false)

  useEffect(() => {
    api.previewExport().then(
      (result) => {
        setPreview(result)
        if (result.defaultPath) setTarget(result.defaultPath)
      },
      (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)),
    )
  }, [api])

  useEffect(() => {
    if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(target) || !target.endsWith('.py')) return
    let current = true
    api.readScript(target).then(
      (text) => {
        if (!current) return
        setOnDisk({ path: target, text })
        if (text !== null) setTab('changes')
      },
      () => current && setOnDisk({ path: target, text: null }),
    )
    return () => {
      current = false
    }
  }, [api, target])
  const existing = onDisk?.path === target ? onDisk.text : null

  const diff: LineDiff | null = useMemo(
    () => (preview && existing !== null ? diffLines(existing, preview.script) : null),
    [preview, existing],
  )

  const write = async () => {
    setWriting(true)
    try {
      const written = await api.exportScript(withExtension(target, 'script'))
      showNotice(`Exported ${written}`)
      onDone()
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error))
      setWriting(false)
    }
  }

  const same = diff !== null && diff.hunks.length === 0
  return (
    <Modal
      title="Export as a caproto script"
      wide
      testId="export-dialog"
      onCancel={onDone}
      footer={
        <>
          {diff && (
            <span className="modal-warning" data-testid="export-diff-summary">
              {same
                ? 'The file on disk already has this script.'
                : `Overwrites the file: ${diff.added} line${diff.added === 1 ? '' : 's'} added, ${diff.removed} removed.`}
            </span>
          )}
          <button className="button" onClick={onDone}>
            Cancel
          </button>
          <button
            className="button primary"
            disabled={!preview || target === '' || writing}
            onClick={() => void write()}
          >
            {existing !== null ? 'Overwrite' : 'Export'}
          </button>
        </>
      }
    >
      {failure && (
        <div className="field-problem pre" role="alert">
          {failure}
        </div>
      )}
      <div className="file-nav">
        <input
          aria-label="Export to"
          placeholder="/path/to/server.py"
          spellCheck={false}
          value={target}
          onChange={(e) => setTarget(e.target.value)}
        />
        <button
          className="button small"
          onClick={() =>
            void pickFile({ purpose: 'export-script', ...(target ? { defaultPath: target } : {}) }).then(
              (path) => path && setTarget(withExtension(path, 'script')),
            )
          }
        >
          Browse…
        </button>
      </div>
      {preview && (
        <>
          <div className="panel-tabs" role="tablist">
            <button
              role="tab"
              className="panel-tab"
              aria-selected={tab === 'script'}
              onClick={() => setTab('script')}
            >
              Script
            </button>
            <button
              role="tab"
              className="panel-tab"
              aria-selected={tab === 'changes'}
              disabled={diff === null}
              onClick={() => setTab('changes')}
            >
              Changes to the file on disk
            </button>
          </div>
          {tab === 'script' || diff === null ? (
            <pre className="code-preview" data-testid="export-preview">
              {preview.script}
            </pre>
          ) : (
            <DiffView diff={diff} />
          )}
        </>
      )}
    </Modal>
  )
}

function DiffView({ diff }: { diff: LineDiff }) {
  if (diff.hunks.length === 0) return <div className="panel-empty">No changes.</div>
  return (
    <div className="code-preview diff" data-testid="export-diff" role="table" aria-label="Changes">
      {diff.hunks.map((hunk) => (
        <div key={`${hunk.oldStart}:${hunk.newStart}`} className="diff-hunk" role="rowgroup">
          <div className="diff-hunk-header">
            @@ line {hunk.oldStart} → {hunk.newStart} @@
          </div>
          {hunk.lines.map((line, index) => (
            <div key={index} className="diff-line" data-kind={line.kind} role="row">
              <span className="diff-number">{line.kind === 'added' ? '' : line.oldLine}</span>
              <span className="diff-number">{line.kind === 'removed' ? '' : line.newLine}</span>
              <span className="diff-sign">
                {line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '}
              </span>
              <span className="diff-text">{line.text}</span>
            </div>
          ))}
        </div>
      ))}
    </div>
  )
}
