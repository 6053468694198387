/**
 * Which pages count as the app. The IPC handler and the permission handlers accept a page only when its URL
 * has one of the trusted origins: app://ioc, plus electron-vite's dev server during `npm run dev`.
 */

/**
 * `scheme://host[:port]` of a URL, or null. Not `URL.origin`: Node reports origin "null" for schemes it does
 * not know, such as our `app:`.
 */
export function originOf(url: string | undefined): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    return parsed.host ? `${parsed.protocol}//${parsed.host.toLowerCase()}` : null
  } catch {
    return null
  }
}

export function isTrustedUrl(url: string | undefined, trustedOrigins: readonly string[]): boolean {
  const origin = originOf(url)
  return origin !== null && trustedOrigins.some((trusted) => originOf(trusted) === origin)
}
