/**
 * The one live connection of the window: started by the first live view that mounts and kept for the app's
 * lifetime (switching tabs does not reload), reloaded when the bridge reconnects. Its model is module state
 * outside React; `useLiveStore` says when it changed.
 */
import { getPlatform } from '../../platform/api'
import type { Platform } from '../../platform/api'
import { FrameCoalescer } from './frame-coalescer'
import { LiveModel } from './live-model'
import { commitParts, liveCommits, useLiveStore } from './live-store'
import { LiveSync } from './live-sync'

export const liveModel = new LiveModel()

const commits = new FrameCoalescer((parts) => commitParts(parts))
let started = false

/** Starts the live connection once (idempotent). */
export function ensureLive(platform: Platform = getPlatform()): void {
  if (started) return
  started = true
  const sync = new LiveSync(platform.api, liveModel, {
    changed: (parts) => commits.request(parts),
    state: (state) => useLiveStore.setState(state),
  })
  sync.start()
  platform.connection?.onDidChangeState((state) => {
    if (state === 'open') void sync.load()
  })
  // Updates per second and the rate charts move on even when nothing arrives.
  setInterval(() => commits.request(liveModel.tick(Date.now())), 1000)
  if (new URLSearchParams(location.search).has('liveStats')) {
    // Read-only counters for the UI benchmark (test/bench/ui.ts).
    Object.assign(window, { __iocLiveStats: { commits: liveCommits, model: liveModel } })
  }
}
