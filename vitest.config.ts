import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

// One runner for every suite. Unit tests live beside the code they test (`*.test.ts`); suites that cross
// layers or need real clients (architecture, interop, e2e) live under test/.
export default defineConfig({
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'src-shared') } },
  test: {
    include: [
      'src-main/**/*.test.ts',
      'src-shared/**/*.test.ts',
      'src-renderer/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Interop and e2e suites bind real sockets and start real clients; files run in parallel (2 cores here),
    // tests inside a file run in order.
    fileParallelism: true,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
})
