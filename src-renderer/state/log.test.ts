import { beforeEach, describe, expect, it } from 'vitest'
import type { LogEntry } from '@shared/api/contract'
import { appendLog, clearLog, logEntries, replaceLog, useLogStore } from './log'

const entry = (seq: number, level: LogEntry['level'] = 'info'): LogEntry => ({
  seq,
  time: seq,
  level,
  source: 'server',
  message: `#${seq}`,
})
const shown = () => Array.from({ length: logEntries.size }, (_, i) => logEntries.at(i)?.seq)

beforeEach(() => replaceLog([]))

describe('the log view store', () => {
  it('joins history and stream without duplicates', () => {
    appendLog([entry(3), entry(4)])
    replaceLog([entry(1), entry(2), entry(3)])
    appendLog([entry(3), entry(4, 'error'), entry(5)])
    expect(shown()).toEqual([1, 2, 3, 4, 5])
    expect(useLogStore.getState().errorCount).toBe(1)
  })

  it('bumps the version once per batch that adds something', () => {
    const before = useLogStore.getState().version
    appendLog([entry(1), entry(2)])
    appendLog([entry(2)])
    expect(useLogStore.getState().version).toBe(before + 1)
  })

  it('accepts a restarted backend whose numbering starts over', () => {
    appendLog([entry(40), entry(41)])
    replaceLog([entry(1)])
    appendLog([entry(2)])
    expect(shown()).toEqual([1, 2])
  })

  it('clear empties the view and shown entries stay gone', () => {
    appendLog([entry(1), entry(2, 'error')])
    clearLog()
    appendLog([entry(2), entry(3)])
    expect(shown()).toEqual([3])
    expect(useLogStore.getState().errorCount).toBe(0)
  })
})
