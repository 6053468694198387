import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '@shared/api/security'
import { APP_ENTRY_URL, createAppRequestHandler, resolveAppFile } from './app-protocol'

let dir: string
let root: string
let serve: (request: Request) => Promise<Response>

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-app-protocol-'))
  root = join(dir, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>IOC Studio</title>')
  writeFileSync(join(root, 'assets', 'main.js'), 'export const answer = 42\n')
  writeFileSync(join(root, 'assets', 'editor.worker.js'), 'self.onmessage = () => {}\n')
  writeFileSync(join(root, 'assets', 'codicon.ttf'), Buffer.from([0, 1, 0, 0]))
  writeFileSync(join(root, 'assets', 'with space.css'), 'body{}')
  // A sibling folder whose name starts like the root: a naive startsWith(root) check would let it through.
  mkdirSync(join(dir, 'renderer-secrets'))
  writeFileSync(join(dir, 'renderer-secrets', 'key.txt'), 'secret')
  writeFileSync(join(dir, 'secret.txt'), 'secret')
  serve = createAppRequestHandler(root)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const get = (url: string, method = 'GET') => serve(new Request(url, { method }))

describe('app:// protocol handler', () => {
  it('serves the entry page with the CSP header the page carries', async () => {
    const response = await get(APP_ENTRY_URL)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toContain('<title>IOC Studio</title>')
  })

  it('serves the origin root as index.html', async () => {
    const response = await get('app://ioc/')
    expect(await response.text()).toContain('IOC Studio')
  })

  it('sends scripts, workers and fonts with their MIME types, byte for byte', async () => {
    const script = await get('app://ioc/assets/main.js?v=1#frag')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await script.text()).toBe('export const answer = 42\n')
    expect((await get('app://ioc/assets/editor.worker.js')).headers.get('content-type')).toContain(
      'javascript',
    )
    const font = await get('app://ioc/assets/codicon.ttf')
    expect(font.headers.get('content-type')).toBe('font/ttf')
    expect([...new Uint8Array(await font.arrayBuffer())]).toEqual([0, 1, 0, 0])
    expect((await get('app://ioc/assets/with%20space.css')).status).toBe(200)
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(APP_ENTRY_URL, 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const post = await get(APP_ENTRY_URL, 'POST')
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })

  it('answers 404 for missing files and folders, still with the CSP', async () => {
    const missing = await get('app://ioc/nope.js')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect((await get('app://ioc/assets')).status).toBe(404)
    expect((await get('app://ioc/index.html/x')).status).toBe(404)
  })

  it.each([
    'app://ioc/%2e%2e/secret.txt',
    'app://ioc/..%2fsecret.txt',
    'app://ioc/assets/..%2f..%2fsecret.txt',
    'app://ioc/%2E%2E%2Frenderer-secrets%2Fkey.txt',
    'app://ioc/..%5csecret.txt',
  ])('refuses to leave the renderer folder: %s', async (url) => {
    const response = await get(url)
    expect([403, 404]).toContain(response.status)
    expect(await response.text()).not.toBe('secret')
  })

  it('reports traversal as 403 and malformed paths as 400', () => {
    // The URL parser itself folds a `%2e%2e` segment, so that one stays inside the root.
    expect(resolveAppFile(root, 'app://ioc/%2e%2e/secret.txt')).toEqual({
      ok: true,
      path: join(root, 'secret.txt'),
    })
    expect(resolveAppFile(root, 'app://ioc/..%2fsecret.txt')).toMatchObject({ ok: false, status: 403 })
    expect(resolveAppFile(root, 'app://ioc/%2e%2e%2frenderer-secrets/key.txt')).toMatchObject({ status: 403 })
    expect(resolveAppFile(root, 'app://ioc/%E0%A4%A')).toMatchObject({ ok: false, status: 400 })
    expect(resolveAppFile(root, 'app://ioc/a%00b')).toMatchObject({ ok: false, status: 400 })
  })

  it('serves only its own host', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404)
    expect(resolveAppFile(root, 'https://ioc/index.html')).toMatchObject({ ok: false, status: 404 })
    expect(resolveAppFile(root, 'app://IOC/index.html')).toEqual({ ok: true, path: join(root, 'index.html') })
  })
})
