/**
 * Modal dialogs as promises: a command awaits `askUnsaved()` or `pickFileInApp()` and gets the user's answer;
 * ../features/dialogs/DialogHost draws whichever dialogs are asked for. They stack: Export can ask for a file
 * and its own dialog stays underneath until the file dialog answers.
 */
import { create } from 'zustand'
import type { ExampleProject, FileDialogRequest } from '@shared/api/contract'

export type UnsavedAnswer = 'save' | 'discard' | 'cancel'

export type DialogRequest =
  | { readonly kind: 'unsaved'; readonly action: string; readonly resolve: (answer: UnsavedAnswer) => void }
  | {
      readonly kind: 'file'
      readonly request: FileDialogRequest
      readonly resolve: (path: string | null) => void
    }
  | {
      readonly kind: 'new-project'
      readonly examples: readonly ExampleProject[]
      /** undefined: cancelled; null: blank; else the example's id. */
      readonly resolve: (choice: string | null | undefined) => void
    }
  | { readonly kind: 'export'; readonly resolve: () => void }
  | { readonly kind: 'message'; readonly title: string; readonly text: string; readonly resolve: () => void }

interface DialogStore {
  /** Oldest first; the last one is on top. */
  readonly stack: readonly DialogRequest[]
}

export const useDialogs = create<DialogStore>()(() => ({ stack: [] }))

type Ask<D extends DialogRequest> = Omit<D, 'resolve'>
type Answer<D extends DialogRequest> = Parameters<D['resolve']>[0]

const CANCEL: { readonly [K in DialogRequest['kind']]: Answer<Extract<DialogRequest, { kind: K }>> } = {
  unsaved: 'cancel',
  file: null,
  'new-project': undefined,
  export: undefined,
  message: undefined,
}

function ask<D extends DialogRequest>(request: Ask<D>): Promise<Answer<D>> {
  return new Promise((resolve) => {
    const open = {
      ...request,
      resolve: (answer: Answer<D>) => {
        const { stack } = useDialogs.getState()
        if (!stack.includes(open)) return
        useDialogs.setState({ stack: stack.filter((d) => d !== open) })
        resolve(answer)
      },
    } as unknown as DialogRequest
    useDialogs.setState((s) => ({ stack: [...s.stack, open] }))
  })
}

/** Closes the top dialog with its cancel answer. */
export function dismissDialog(): void {
  const top = useDialogs.getState().stack.at(-1)
  if (top) (top.resolve as (answer: unknown) => void)(CANCEL[top.kind])
}

export function askUnsaved(action: string): Promise<UnsavedAnswer> {
  return ask<Extract<DialogRequest, { kind: 'unsaved' }>>({ kind: 'unsaved', action })
}

export function pickFileInApp(request: FileDialogRequest): Promise<string | null> {
  return ask<Extract<DialogRequest, { kind: 'file' }>>({ kind: 'file', request })
}

export function chooseNewProject(examples: readonly ExampleProject[]): Promise<string | null | undefined> {
  return ask<Extract<DialogRequest, { kind: 'new-project' }>>({ kind: 'new-project', examples })
}

export function showExportDialog(): Promise<void> {
  return ask<Extract<DialogRequest, { kind: 'export' }>>({ kind: 'export' })
}

export function showMessage(title: string, text: string): Promise<void> {
  return ask<Extract<DialogRequest, { kind: 'message' }>>({ kind: 'message', title, text })
}
