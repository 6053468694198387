/**
 * `npm run bench:ui` (see ui-run.ts for what it measures). The backend's modules use Vite features (`?raw`
 * imports, the `@shared` alias), so the bench runs inside Vite's module runner, as the tests do.
 */
import { resolve } from 'node:path'
import { createServer } from 'vite'

const root = resolve(import.meta.dirname, '../..')
const vite = await createServer({
  configFile: false,
  root,
  logLevel: 'warn',
  appType: 'custom',
  resolve: { alias: { '@shared': resolve(root, 'src-shared') } },
  server: { middlewareMode: true, hmr: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
})
try {
  await vite.ssrLoadModule('/test/bench/ui-run.ts')
} finally {
  await vite.close()
}
