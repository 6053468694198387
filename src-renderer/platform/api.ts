/**
 * Where the renderer gets the backend API. This module is the only place that knows which host it runs in:
 * the Electron preload puts the API on `window.ioc`; without it (in a browser, from `ioc-studio serve`) the
 * same API is carried over a WebSocket to `/bridge` on the page's own origin, with the page's access token.
 */
import { WINDOW_API_KEY } from '@shared/api/contract'
import type { IocApi } from '@shared/api/contract'
import { BRIDGE_PATH, TOKEN_PARAM } from '@shared/api/bridge-protocol'
import { BridgeClient } from '@shared/api/bridge-client'
import type { ConnectionState } from '@shared/api/bridge-client'

declare global {
  interface Window {
    [WINDOW_API_KEY]?: IocApi
  }
}

export type { ConnectionState }

export interface Platform {
  readonly api: IocApi
  /** 'electron' when the preload provided the API, 'browser' when it travels over the bridge socket. */
  readonly kind: 'electron' | 'browser'
  /** The bridge connection (browser only); in Electron the API is always there. */
  readonly connection?: {
    readonly state: ConnectionState
    onDidChangeState(listener: (state: ConnectionState) => void): () => void
  }
}

let platform: Platform | undefined

export function getPlatform(): Platform {
  platform ??= detect()
  return platform
}

function detect(): Platform {
  const exposed = window[WINDOW_API_KEY]
  if (exposed) return { api: exposed, kind: 'electron' }
  if (location.protocol !== 'http:' && location.protocol !== 'https:') {
    throw new Error(
      `IOC Studio has no backend here: no window.${WINDOW_API_KEY} and no bridge at ${location.origin}`,
    )
  }
  const url = new URL(BRIDGE_PATH, location.href)
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM)
  url.search = token ? `?${TOKEN_PARAM}=${encodeURIComponent(token)}` : ''
  const client = new BridgeClient(url.href, (href) => new WebSocket(href))
  return { api: client.api, kind: 'browser', connection: client }
}
