import { create } from 'zustand'

/** Projects opened or saved lately (the backend's list; the desktop shell keeps it across restarts). */
export const useRecentProjects = create<{ readonly list: readonly string[] }>()(() => ({ list: [] }))

export function setRecentProjects(list: readonly string[]): void {
  useRecentProjects.setState({ list })
}
