#!/usr/bin/env node
// The `ioc-studio` command: a launcher for the built CLI (src-main/cli/main.ts -> out/main/cli.js).
let cli
try {
  cli = await import('../out/main/cli.js')
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('cli.js')) throw error
  console.error('ioc-studio: IOC Studio is not built yet. Run `npm run build` in its folder first.')
  process.exit(1)
}
process.exitCode = await cli.main(process.argv.slice(2))
