/** The traffic and put-log lists: fixed-height rows, only those in view rendered. */
import { useVirtualizer } from '@tanstack/react-virtual'
import type { RefObject } from 'react'

export const ROW_HEIGHT = 24

/** A virtualizer over `count` rows in the scrolling element `scroller`. */
export function useVirtualRows(scroller: RefObject<HTMLDivElement | null>, count: number) {
  // We do not use the React Compiler, so its warning about memoizing the virtualizer does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const list = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  return list
}
