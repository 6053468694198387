import { EventEmitter } from 'node:events'
import type { Session, WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import { isPermissionGranted, lockDownWebContents, restrictPermissions } from './web-security'
import type { BlockedAction } from './web-security'

const trusted = ['app://ioc']

/** Electron's navigation events carry an event whose preventDefault() cancels the navigation. */
function navigationEvent(url: string) {
  return {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true
    },
  }
}

function lockedDown() {
  const contents = new EventEmitter() as EventEmitter & {
    openHandler?: (details: { url: string }) => { action: string }
  }
  Object.assign(contents, {
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      contents.openHandler = handler
    },
  })
  const blocked: Array<[BlockedAction, string]> = []
  lockDownWebContents(contents as unknown as WebContents, (action, url) => blocked.push([action, url]))
  return { contents, blocked }
}

describe('lockDownWebContents', () => {
  it('cancels every navigation and redirect the page starts', () => {
    const { contents, blocked } = lockedDown()
    const navigation = navigationEvent('https://example.org/phish')
    const redirect = navigationEvent('https://example.org/elsewhere')
    contents.emit('will-frame-navigate', navigation)
    contents.emit('will-redirect', redirect)
    expect(navigation.prevented).toBe(true)
    expect(redirect.prevented).toBe(true)
    expect(blocked).toEqual([
      ['navigation', 'https://example.org/phish'],
      ['redirect', 'https://example.org/elsewhere'],
    ])
  })

  it('denies new windows and webviews', () => {
    const { contents, blocked } = lockedDown()
    expect(contents.openHandler?.({ url: 'https://example.org/popup' })).toEqual({ action: 'deny' })
    const attach = navigationEvent('')
    contents.emit('will-attach-webview', attach, {}, { src: 'https://example.org/embedded' })
    expect(attach.prevented).toBe(true)
    expect(blocked).toEqual([
      ['new window', 'https://example.org/popup'],
      ['webview', 'https://example.org/embedded'],
    ])
  })
})

describe('permissions', () => {
  it('grants only clipboard writes, and only to our own pages', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://ioc/index.html', trusted)).toBe(true)
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://example.org/', trusted)).toBe(false)
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
    ]) {
      expect(isPermissionGranted(permission, 'app://ioc/index.html', trusted), permission).toBe(false)
    }
  })

  it('installs request and check handlers that follow that rule', () => {
    type RequestHandler = (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl: string },
    ) => void
    type CheckHandler = (contents: unknown, permission: string, origin: string) => boolean
    let onRequest: RequestHandler | undefined
    let onCheck: CheckHandler | undefined
    const session = {
      setPermissionRequestHandler: (handler: RequestHandler) => (onRequest = handler),
      setPermissionCheckHandler: (handler: CheckHandler) => (onCheck = handler),
    }
    restrictPermissions(session as unknown as Session, trusted)

    const answers: boolean[] = []
    onRequest?.(null, 'media', (granted) => answers.push(granted), { requestingUrl: 'app://ioc/index.html' })
    onRequest?.(null, 'clipboard-sanitized-write', (g) => answers.push(g), { requestingUrl: 'app://ioc/' })
    expect(answers).toEqual([false, true])
    expect(onCheck?.(null, 'geolocation', 'app://ioc')).toBe(false)
    expect(onCheck?.(null, 'clipboard-sanitized-write', 'app://ioc')).toBe(true)
    expect(onCheck?.(null, 'clipboard-sanitized-write', 'https://example.org')).toBe(false)
  })
})
