/**
 * Monaco, bundled with the app and never fetched from a CDN: the lean 0.57 entry points (core, editor
 * features, Python colouring; Python needs no language worker), the base editor worker built by Vite, and
 * `loader.config({ monaco })` so @monaco-editor/react uses this copy instead of injecting a jsdelivr script.
 * Import this module before any <Editor/> mounts.
 */
import { loader } from '@monaco-editor/react'
import * as monaco from 'monaco-editor/editor'
import 'monaco-editor/features/register.all'
import 'monaco-editor/languages/definitions/python/register'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'

self.MonacoEnvironment = {
  // Without this, Monaco falls back to a data: URL worker that cannot load its imports.
  getWorker: () => new EditorWorker(),
}

/** Editor themes that sit on the app's own surfaces (see shell.css). */
monaco.editor.defineTheme('ioc-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#9aa3b2' },
})
monaco.editor.defineTheme('ioc-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#12171e', 'editorLineNumber.foreground': '#4d5766' },
})

loader.config({ monaco })
