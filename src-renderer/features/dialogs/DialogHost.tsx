import { baseName } from '@shared/api/files'
import { useDialogs } from '../../state/dialogs'
import type { DialogRequest } from '../../state/dialogs'
import { useProjectStore } from '../../state/project'
import { ExportDialog } from './ExportDialog'
import { FileDialog } from './FileDialog'
import { Modal } from './Modal'
import { NewProjectDialog } from './NewProjectDialog'

/** Draws the dialogs commands are waiting for (see state/dialogs), the newest on top. */
export function DialogHost() {
  const stack = useDialogs((s) => s.stack)
  return (
    <>
      {stack.map((open, index) => (
        <OneDialog key={index} open={open} />
      ))}
    </>
  )
}

function OneDialog({ open }: { open: DialogRequest }) {
  const path = useProjectStore((s) => s.path)
  const name = useProjectStore((s) => s.history?.present.server.name)
  switch (open.kind) {
    case 'unsaved':
      return (
        <Modal
          title="Save your changes?"
          testId="unsaved-dialog"
          onCancel={() => open.resolve('cancel')}
          footer={
            <>
              <button className="button" onClick={() => open.resolve('cancel')}>
                Cancel
              </button>
              <button className="button danger" onClick={() => open.resolve('discard')}>
                Don’t save
              </button>
              <button className="button primary" autoFocus onClick={() => open.resolve('save')}>
                Save
              </button>
            </>
          }
        >
          <p>
            {path ? baseName(path) : (name ?? 'The project')} has changes that are not saved. Save them before
            you {open.action}?
          </p>
        </Modal>
      )
    case 'file':
      return <FileDialog request={open.request} onDone={open.resolve} />
    case 'new-project':
      return <NewProjectDialog examples={open.examples} onDone={open.resolve} />
    case 'export':
      return <ExportDialog onDone={open.resolve} />
    case 'message':
      return (
        <Modal
          title={open.title}
          testId="message-dialog"
          onCancel={() => open.resolve()}
          footer={
            <button className="button primary" autoFocus onClick={() => open.resolve()}>
              OK
            </button>
          }
        >
          <p className="pre">{open.text}</p>
        </Modal>
      )
  }
}
