import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '@shared/api/security'
import { mimeTypeOf, StaticFiles } from './static-files'

const base = mkdtempSync(join(tmpdir(), 'ioc-static-'))
const root = join(base, 'renderer')
mkdirSync(join(root, 'assets'), { recursive: true })
writeFileSync(join(root, 'index.html'), '<!doctype html>')
writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'export {}')
writeFileSync(join(base, 'secret.txt'), 'secret')
symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'))
const files = new StaticFiles(root, {})

afterAll(() => rmSync(base, { recursive: true, force: true }))

describe('StaticFiles.locate', () => {
  it('maps URL paths to files under the root', async () => {
    expect(await files.locate('/')).toBe(join(root, 'index.html'))
    expect(await files.locate('/assets/app-1a2b.js')).toBe(join(root, 'assets', 'app-1a2b.js'))
    expect(await files.locate('/assets/%61pp-1a2b.js')).toBe(join(root, 'assets', 'app-1a2b.js'))
  })

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/link.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/assets',
    '/missing.js',
    'index.html',
  ])('serves nothing for %s', async (path) => {
    expect(await files.locate(path)).toBeUndefined()
  })
})

describe('mimeTypeOf', () => {
  it('names what the renderer build contains', () => {
    expect(mimeTypeOf('index.html')).toBe('text/html; charset=utf-8')
    expect(mimeTypeOf('a.JS')).toBe('text/javascript; charset=utf-8')
    expect(mimeTypeOf('editor.worker-x.js')).toBe('text/javascript; charset=utf-8')
    expect(mimeTypeOf('codicon.ttf')).toBe('font/ttf')
    expect(mimeTypeOf('index.css')).toBe('text/css; charset=utf-8')
    expect(mimeTypeOf('pyodide.asm.wasm')).toBe('application/wasm')
    expect(mimeTypeOf('LICENSE')).toBe('application/octet-stream')
  })
})

describe('the CSP the bridge sends', () => {
  it('is the one in the page meta tag', () => {
    const html = readFileSync(join(import.meta.dirname, '../../../src-renderer/index.html'), 'utf8')
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY)
  })
})
