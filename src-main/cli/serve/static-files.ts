import { createReadStream, realpathSync } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, posix, resolve, sep } from 'node:path'

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

export function mimeTypeOf(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * Serves the files under one directory (the built renderer) read-only. A URL path maps to a file only if,
 * after decoding and normalising and following symlinks, it is still inside the root: `..`, encoded slashes,
 * NUL bytes and links pointing out are all "not found". `/` is index.html; directories are not listed.
 */
export class StaticFiles {
  private readonly rootReal: string

  constructor(
    readonly root: string,
    /** Sent with every response (security headers such as the CSP). */
    private readonly headers: Readonly<Record<string, string>>,
  ) {
    this.rootReal = realpathSync(resolve(root))
  }

  /** The file a URL path names, or undefined when it names nothing servable. */
  async locate(urlPath: string): Promise<string | undefined> {
    let decoded: string
    try {
      decoded = decodeURIComponent(urlPath)
    } catch {
      return undefined
    }
    if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return undefined
    const relative = posix.normalize(decoded === '/' ? '/index.html' : decoded)
    const root = this.rootReal
    let file: string
    try {
      file = await realpath(resolve(root, `.${relative}`))
      if (!file.startsWith(root + sep)) return undefined
      if (!(await stat(file)).isFile()) return undefined
    } catch {
      return undefined
    }
    return file
  }

  async handle(request: IncomingMessage, response: ServerResponse, urlPath: string): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return this.reply(response, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' })
    }
    const file = await this.locate(urlPath)
    if (!file) return this.reply(response, 404, 'Not Found')
    const size = (await stat(file)).size
    response.writeHead(200, {
      ...this.headers,
      'Content-Type': mimeTypeOf(file),
      'Content-Length': String(size),
      // Vite puts a content hash in every asset name, so those never change; the page itself must be revalidated.
      'Cache-Control': urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    if (request.method === 'HEAD') {
      response.end()
      return
    }
    const stream = createReadStream(file)
    stream.on('error', () => response.destroy())
    stream.pipe(response)
  }

  reply(response: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
    const body = `${status} ${message}\n`
    response.writeHead(status, {
      ...this.headers,
      ...extra,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
    })
    response.end(body)
  }
}
