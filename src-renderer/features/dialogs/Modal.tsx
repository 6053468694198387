import { useEffect, useId, useRef } from 'react'
import type { ReactNode } from 'react'

/** A modal <dialog>: focus stays inside, Escape cancels, the title labels it for screen readers. */
export function Modal({
  title,
  onCancel,
  children,
  footer,
  wide = false,
  testId,
}: {
  title: string
  onCancel: () => void
  children: ReactNode
  footer: ReactNode
  wide?: boolean
  testId?: string
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
    return () => el?.close()
  }, [])
  return (
    <dialog
      ref={dialog}
      className="modal"
      data-wide={wide || undefined}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      <div className="modal-body">{children}</div>
      <div className="modal-footer">{footer}</div>
    </dialog>
  )
}
