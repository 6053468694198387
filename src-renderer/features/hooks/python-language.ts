/**
 * Registers the hook intellisense with Monaco's Python language once: completions (members after a dot,
 * parameters, caproto names and snippets) and hover docs. Each editor tells which code its model holds with
 * `setModelContext`; the providers read the project from the store when asked, so they never go stale.
 */
import * as monaco from 'monaco-editor/editor'
import { currentProject } from '../../state/project'
import { hoverAt, suggestionsAt } from './intellisense'
import type { CodeContext, Suggestion } from './intellisense'

const contexts = new Map<string, CodeContext>()

export function setModelContext(model: monaco.editor.ITextModel, context: CodeContext): void {
  contexts.set(model.uri.toString(), context)
}

const KIND: Record<Suggestion['kind'], monaco.languages.CompletionItemKind> = {
  pv: monaco.languages.CompletionItemKind.Field,
  group: monaco.languages.CompletionItemKind.Module,
  method: monaco.languages.CompletionItemKind.Method,
  property: monaco.languages.CompletionItemKind.Property,
  class: monaco.languages.CompletionItemKind.Class,
  constant: monaco.languages.CompletionItemKind.EnumMember,
  variable: monaco.languages.CompletionItemKind.Variable,
  snippet: monaco.languages.CompletionItemKind.Snippet,
}

let registered = false

export function registerHookLanguage(): void {
  if (registered) return
  registered = true
  monaco.languages.registerCompletionItemProvider('python', {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const context = contexts.get(model.uri.toString())
      const project = currentProject()
      if (!context || !project) return { suggestions: [] }
      const lineBefore = model.getLineContent(position.lineNumber).slice(0, position.column - 1)
      const word = model.getWordUntilPosition(position)
      const range = new monaco.Range(
        position.lineNumber,
        word.startColumn,
        position.lineNumber,
        word.endColumn,
      )
      return {
        suggestions: suggestionsAt(project, context, lineBefore).map((s, index) => ({
          label: s.label,
          kind: KIND[s.kind],
          detail: s.detail,
          documentation: { value: s.documentation },
          insertText: s.insertText,
          insertTextRules: s.snippet
            ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet
            : undefined,
          sortText: String(index).padStart(4, '0'),
          range,
        })),
      }
    },
  })
  monaco.languages.registerHoverProvider('python', {
    provideHover(model, position) {
      const context = contexts.get(model.uri.toString())
      const project = currentProject()
      const word = model.getWordAtPosition(position)
      if (!context || !project || !word) return null
      const line = model.getLineContent(position.lineNumber)
      const text = hoverAt(project, context, line, word.word, word.startColumn - 1)
      if (!text) return null
      const [head, ...rest] = text.split('\n\n')
      return {
        range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
        contents: [{ value: `\`${head}\`` }, ...rest.map((value) => ({ value }))],
      }
    },
  })
}
