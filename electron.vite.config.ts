import { cpSync } from 'node:fs'
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

// The custom layout (src-main / src-renderer / src-shared) needs every entry spelled out: electron-vite only
// finds src/{main,preload,renderer} by itself (stack-notes §1.2, §1.3).
const root = import.meta.dirname
const alias = { '@shared': resolve(root, 'src-shared') }

/** The caproto shim is Python run by Pyodide, not bundled code: ship its sources beside the main bundle. */
function copyPythonShim(): Plugin {
  return {
    name: 'ioc-studio:python-shim',
    closeBundle() {
      cpSync(resolve(root, 'src-main/python/shim'), resolve(root, 'out/main/shim'), {
        recursive: true,
        filter: (path) => !path.includes('__pycache__'),
      })
    },
  }
}

export default defineConfig({
  main: {
    resolve: { alias },
    plugins: [copyPythonShim()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // index.js is the Electron app; cli.js is `ioc-studio` (bin/ioc-studio.js), plain Node, no Electron.
        input: {
          index: resolve(root, 'src-main/electron/main.ts'),
          cli: resolve(root, 'src-main/cli/main.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve(root, 'src-main/electron/preload.ts') },
        // A sandboxed preload runs as a classic script, not ESM: CommonJS, named .cjs despite "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    resolve: { alias },
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      minify: true,
      // Monaco's core is one ~4 MB chunk; it loads from disk or loopback, never over the internet.
      chunkSizeWarningLimit: 6000,
      // Required with a custom root: electron-vite otherwise looks for src/renderer/index.html.
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
    worker: { format: 'es' },
  },
})
