/**
 * The `app://ioc/` origin the desktop window loads the renderer from, instead of `file://` (Electron security
 * checklist items 7 and 18). Pages from `file://` get origin `null`, which breaks module workers and CORS and
 * only works while the `grantFileProtocolExtraPrivileges` fuse stays on; a standard, secure custom scheme gives
 * the bundle a real origin, so `'self'` in the CSP means the same as it does behind `ioc-studio serve`.
 *
 * Pure Node (fs, path, fetch's Request/Response): main.ts hands `createAppRequestHandler` to
 * `protocol.handle`, and the tests call it directly on real files.
 */
import { readFile, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { CONTENT_SECURITY_POLICY } from '@shared/api/security'

export const APP_SCHEME = 'app'
export const APP_HOST = 'ioc'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * Privileges for `protocol.registerSchemesAsPrivileged`, which must run before the app is ready. `standard`
 * gives relative URLs and an origin, `secure` a secure context, `codeCache` lets V8 cache the large bundles.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

export type AppFileLookup =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string }

/**
 * Maps an `app://ioc/<path>` URL to a file under `root`. The URL parser already folds `..` segments, but
 * percent-encoded ones (`%2e%2e%2f`, `..%5c`) only appear after decoding, so the decoded path is resolved and
 * must still lie inside `root`.
 */
export function resolveAppFile(root: string, requestUrl: string): AppFileLookup {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' }
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) {
    return { ok: false, status: 404, reason: `not served here: ${url.protocol}//${url.host}` }
  }
  let relative: string
  try {
    relative = decodeURIComponent(url.pathname)
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' }
  }
  if (relative.includes('\0')) return { ok: false, status: 400, reason: 'NUL in path' }
  if (relative === '/' || relative === '') relative = '/index.html'
  const base = resolve(root)
  const path = resolve(base, `.${relative}`)
  if (!path.startsWith(base + sep)) return { ok: false, status: 403, reason: 'outside the renderer folder' }
  return { ok: true, path }
}

/** Headers every response carries: the page's CSP (also in index.html's meta tag) and no MIME sniffing. */
const COMMON_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
}

/** The `protocol.handle('app', …)` handler: serves files under `root` (out/renderer), GET and HEAD only. */
export function createAppRequestHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return failure(405, `${request.method} is not allowed`, { Allow: 'GET, HEAD' })
    }
    const lookup = resolveAppFile(root, request.url)
    if (!lookup.ok) return failure(lookup.status, lookup.reason)
    try {
      if (!(await stat(lookup.path)).isFile()) return failure(404, 'not a file')
      const body = request.method === 'HEAD' ? null : await readFile(lookup.path)
      return new Response(body, {
        status: 200,
        headers: { ...COMMON_HEADERS, 'Content-Type': contentTypeOf(lookup.path) },
      })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return failure(404, 'no such file')
      return failure(500, `could not read the file (${code ?? 'unknown error'})`)
    }
  }
}

function failure(status: number, reason: string, extra: Record<string, string> = {}): Response {
  return new Response(`${status} ${reason}\n`, {
    status,
    headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra },
  })
}
