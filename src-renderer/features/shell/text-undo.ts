/**
 * Who owns Undo and Redo: a text box that is not part of the document (a traffic filter, the live-write
 * value, a dialog input) keeps its own text history, so Ctrl+Z there must not undo the project. The
 * document's editors mark their root with DOCUMENT_EDITOR; their fields commit as document edits.
 */

/** The attribute on the root of a view whose fields edit the document. */
export const DOCUMENT_EDITOR = 'data-document-editor'

/** What this check reads from the focused element (an Element in the app). */
export interface FocusedElement {
  readonly tagName: string
  readonly type?: string
  readonly isContentEditable?: boolean
  closest(selector: string): unknown
}

/** Input types that hold typed text (the browser keeps an undo history for them). */
const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'number', 'email', 'url', 'tel', 'password'])

function holdsText(element: FocusedElement): boolean {
  const tag = element.tagName.toUpperCase()
  if (tag === 'TEXTAREA') return true
  if (tag === 'INPUT') return TEXT_INPUT_TYPES.has((element.type ?? '').toLowerCase())
  return element.isContentEditable === true
}

/** True when Undo/Redo belong to the focused text box rather than to the document. */
export function textBoxOwnsUndo(focused: FocusedElement | null | undefined): boolean {
  if (!focused || typeof focused.closest !== 'function') return false
  return holdsText(focused) && !focused.closest(`[${DOCUMENT_EDITOR}]`)
}
