import Editor from '@monaco-editor/react'
import { useColorScheme } from '../../state/theme'
import { FileIcon } from '../shell/icons'
import './monaco'
import { SAMPLE_FILE_NAME, SAMPLE_IOC } from './sample'

/** The Python editor for the IOC's hooks (caproto dialect). */
export function HookEditor() {
  const scheme = useColorScheme()
  return (
    <section className="editor" aria-label="Editor">
      <div className="tab-strip" role="tablist">
        <div className="tab active" role="tab" aria-selected="true">
          <FileIcon />
          {SAMPLE_FILE_NAME}
        </div>
      </div>
      <div className="editor-host" data-testid="editor">
        <Editor
          defaultLanguage="python"
          defaultPath={SAMPLE_FILE_NAME}
          defaultValue={SAMPLE_IOC}
          theme={scheme === 'dark' ? 'ioc-dark' : 'ioc-light'}
          loading={<div className="editor-loading">Loading editor…</div>}
          options={{
            fontSize: 13,
            fontFamily:
              "ui-monospace, 'Cascadia Code', 'JetBrains Mono', 'SF Mono', Menlo, Consolas, monospace",
            minimap: { enabled: false },
            scrollBeyondLastLine: false,
            renderLineHighlight: 'all',
            tabSize: 4,
            automaticLayout: true,
            padding: { top: 12 },
          }}
        />
      </div>
    </section>
  )
}
