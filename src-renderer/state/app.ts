import { create } from 'zustand'
import type { AppInfo } from '@shared/api/contract'
import type { ConnectionState } from '../platform/api'

interface AppStore {
  readonly info: AppInfo | null
  readonly aboutOpen: boolean
  /** 'open' in Electron; follows the bridge socket in a browser. */
  readonly connection: ConnectionState
  /** A short message shown briefly (e.g. a menu command that is not available yet). */
  readonly notice: { readonly id: number; readonly text: string } | null
}

export const useAppStore = create<AppStore>()(() => ({
  info: null,
  aboutOpen: false,
  connection: 'connecting',
  notice: null,
}))

export function setAboutOpen(aboutOpen: boolean): void {
  useAppStore.setState({ aboutOpen })
}

let noticeId = 0
export function showNotice(text: string): void {
  useAppStore.setState({ notice: { id: ++noticeId, text } })
}

export function dismissNotice(id: number): void {
  if (useAppStore.getState().notice?.id === id) useAppStore.setState({ notice: null })
}
