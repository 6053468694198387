import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { isIP } from 'node:net'
import { TOKEN_PARAM } from '@shared/api/bridge-protocol'

/** 32 random bytes, URL-safe: the access token for a bridge bound beyond loopback. */
export function generateAccessToken(): string {
  return randomBytes(32).toString('base64url')
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare)
  return false
}

export type AccessDecision =
  | {
      readonly allowed: true
      /** A cookie to set so follow-up requests (assets, workers, socket) pass. */ readonly cookie?: string
    }
  | { readonly allowed: false; readonly reason: string }

/**
 * Who may use the bridge. With a token (bound beyond loopback) every HTTP request and the WebSocket upgrade
 * must carry it: in the URL (`?token=`, which sets a cookie for the page's own follow-up requests) or in that
 * cookie. On loopback without a token, the Host header must name loopback, so a web page that rebinds its own
 * DNS name to 127.0.0.1 cannot reach us. A WebSocket upgrade must also come from our own origin, because
 * browsers let any page open a socket to any host.
 */
export class AccessPolicy {
  private readonly tokenDigest: Buffer | undefined
  private readonly cookieName: string

  constructor(
    private readonly token: string | undefined,
    port: number,
  ) {
    this.tokenDigest = token === undefined ? undefined : digest(token)
    // Cookies ignore ports: name it per port so two bridges on one host do not overwrite each other's.
    this.cookieName = `ioc_studio_${TOKEN_PARAM}_${port}`
  }

  check(url: URL, headers: IncomingHttpHeaders, upgrade: boolean): AccessDecision {
    const host = headers.host
    if (!host) return { allowed: false, reason: 'request without a Host header' }
    if (upgrade && headers.origin !== undefined && headers.origin !== `http://${host}`) {
      return { allowed: false, reason: `cross-origin WebSocket from ${headers.origin}` }
    }
    if (this.tokenDigest === undefined) {
      return isLoopbackHost(hostName(host))
        ? { allowed: true }
        : { allowed: false, reason: `foreign Host header ${host}` }
    }
    const fromUrl = url.searchParams.get(TOKEN_PARAM)
    if (fromUrl !== null && this.matches(fromUrl)) {
      return { allowed: true, cookie: `${this.cookieName}=${this.token}; Path=/; HttpOnly; SameSite=Strict` }
    }
    const fromCookie = readCookie(headers.cookie, this.cookieName)
    if (fromCookie !== undefined && this.matches(fromCookie)) return { allowed: true }
    return {
      allowed: false,
      reason: fromUrl === null && fromCookie === undefined ? 'missing access token' : 'wrong access token',
    }
  }

  private matches(candidate: string): boolean {
    // Compare digests: equal lengths for timingSafeEqual, and no early exit that leaks a prefix.
    return timingSafeEqual(digest(candidate), this.tokenDigest as Buffer)
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

function hostName(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1)
  const colon = hostHeader.lastIndexOf(':')
  return colon === -1 ? hostHeader : hostHeader.slice(0, colon)
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
