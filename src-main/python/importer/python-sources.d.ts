/** The importer's Python files, bundled as text (Vite's `?raw` import) so the built app needs no copies. */
declare module '*.py?raw' {
  const source: string
  export default source
}
