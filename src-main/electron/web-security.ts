/**
 * What every page of the app may not do (Electron security checklist items 5, 13, 14 and 20): navigate away
 * from the renderer, open windows, embed <webview>s, or use a browser permission, except writing to the
 * clipboard from our own origin (Monaco's Copy command). main.ts applies these to every webContents as
 * it is created and to the default session, before any page loads.
 */
import type { Session, WebContents } from 'electron'
import { isTrustedUrl } from './origins'

/** Browser permissions our own pages get; everything else is refused for every origin. */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

export function isPermissionGranted(
  permission: string,
  requestingUrl: string | undefined,
  trustedOrigins: readonly string[],
): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isTrustedUrl(requestingUrl, trustedOrigins)
}

export type BlockedAction = 'navigation' | 'redirect' | 'new window' | 'webview'

/** Blocks navigation, redirects, new windows and webviews; `onBlocked` hears about each attempt. */
export function lockDownWebContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  onBlocked: (action: BlockedAction, url: string) => void = () => {},
): void {
  // The app is a single page: any navigation (main frame or subframe) or server redirect is unwanted.
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault()
    onBlocked('navigation', event.url)
  })
  contents.on('will-redirect', (event) => {
    event.preventDefault()
    onBlocked('redirect', event.url)
  })
  contents.setWindowOpenHandler(({ url }) => {
    onBlocked('new window', url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event, _webPreferences, params) => {
    event.preventDefault()
    onBlocked('webview', params.src ?? '')
  })
}

/** Answers permission requests and checks of every page in `session`. */
export function restrictPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  trustedOrigins: readonly string[],
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, trustedOrigins))
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin, trustedOrigins),
  )
}
