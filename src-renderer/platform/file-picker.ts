/**
 * Choosing a file, whatever the host: the desktop app shows its native dialog (the backend says so in
 * AppInfo.nativeFileDialogs); a browser cannot reach the machine's dialogs, so the app draws its own over the
 * backend's folder listings. Feature code calls `pickFile` and never asks which host it is in.
 */
import type { FileDialogRequest } from '@shared/api/contract'
import { useAppStore } from '../state/app'
import { pickFileInApp } from '../state/dialogs'
import { getPlatform } from './api'

export function pickFile(request: FileDialogRequest): Promise<string | null> {
  if (useAppStore.getState().info?.nativeFileDialogs) return getPlatform().api.showFileDialog(request)
  return pickFileInApp(request)
}
