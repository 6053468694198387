import { describe, expect, it } from 'vitest'
import type { ServerStatus } from '@shared/api/contract'
import { availableActions } from './server'

const status = (state: ServerStatus['state']): ServerStatus => ({
  state,
  tcpPort: null,
  udpPort: null,
  interfaces: [],
  clientCount: 0,
  pvCount: 0,
  error: null,
  startedAt: null,
})

describe('availableActions', () => {
  it('offers what the state allows', () => {
    const none = { start: false, stop: false, restart: false, apply: false }
    expect(availableActions(status('stopped'), null)).toEqual({ ...none, start: true })
    expect(availableActions(status('error'), null)).toEqual({ ...none, start: true })
    expect(availableActions(status('running'), null)).toEqual({
      start: false,
      stop: true,
      restart: true,
      apply: true,
    })
    expect(availableActions(status('starting'), null)).toEqual(none)
  })

  it('offers nothing while an action runs or before the first status', () => {
    const none = { start: false, stop: false, restart: false, apply: false }
    expect(availableActions(status('running'), 'restart')).toEqual(none)
    expect(availableActions(null, null)).toEqual(none)
  })

  it('keeps a project with blocking problems from starting or applying, but lets it stop', () => {
    expect(availableActions(status('stopped'), null, true).start).toBe(false)
    expect(availableActions(status('running'), null, true)).toEqual({
      start: false,
      stop: true,
      restart: false,
      apply: false,
    })
  })
})
