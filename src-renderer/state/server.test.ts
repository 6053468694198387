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
    expect(availableActions(status('stopped'), null)).toEqual({ start: true, stop: false, restart: false })
    expect(availableActions(status('error'), null)).toEqual({ start: true, stop: false, restart: false })
    expect(availableActions(status('running'), null)).toEqual({ start: false, stop: true, restart: true })
    expect(availableActions(status('starting'), null)).toEqual({ start: false, stop: false, restart: false })
  })

  it('offers nothing while an action runs or before the first status', () => {
    expect(availableActions(status('running'), 'restart')).toEqual({
      start: false,
      stop: false,
      restart: false,
    })
    expect(availableActions(null, null)).toEqual({ start: false, stop: false, restart: false })
  })
})
