import { describe, expect, it } from 'vitest'
import { DOCUMENT_EDITOR, textBoxOwnsUndo } from './text-undo'
import type { FocusedElement } from './text-undo'

/** An element as the check sees it; `inDocumentEditor` says whether an ancestor carries the marker. */
function element(
  tagName: string,
  options: { type?: string; isContentEditable?: boolean; inDocumentEditor?: boolean } = {},
): FocusedElement {
  return {
    tagName,
    type: options.type,
    isContentEditable: options.isContentEditable,
    closest: (selector: string) =>
      selector === `[${DOCUMENT_EDITOR}]` && options.inDocumentEditor ? {} : null,
  }
}

describe('textBoxOwnsUndo', () => {
  it('gives Undo to text boxes outside the document editors', () => {
    expect(textBoxOwnsUndo(element('INPUT', { type: 'text' }))).toBe(true)
    expect(textBoxOwnsUndo(element('input', { type: 'search' }))).toBe(true)
    expect(textBoxOwnsUndo(element('INPUT', { type: 'number' }))).toBe(true)
    expect(textBoxOwnsUndo(element('TEXTAREA'))).toBe(true)
    expect(textBoxOwnsUndo(element('DIV', { isContentEditable: true }))).toBe(true)
  })

  it('leaves Undo to the document inside a document editor', () => {
    expect(textBoxOwnsUndo(element('INPUT', { type: 'text', inDocumentEditor: true }))).toBe(false)
    expect(textBoxOwnsUndo(element('TEXTAREA', { inDocumentEditor: true }))).toBe(false)
  })

  it('leaves Undo to the document where nothing holds text', () => {
    expect(textBoxOwnsUndo(element('INPUT', { type: 'checkbox' }))).toBe(false)
    expect(textBoxOwnsUndo(element('BUTTON'))).toBe(false)
    expect(textBoxOwnsUndo(element('DIV'))).toBe(false)
    expect(textBoxOwnsUndo(null)).toBe(false)
    expect(textBoxOwnsUndo(undefined)).toBe(false)
  })
})
