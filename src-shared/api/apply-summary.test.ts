import { describe, expect, it } from 'vitest'
import { describeApply } from './apply-summary'

describe('describeApply', () => {
  it('says what Apply did, in the order users read it', () => {
    expect(describeApply({ changed: ['a', 'b', 'c'], added: ['d'], removed: ['e'], hooksReloaded: 2 })).toBe(
      '3 PVs changed, 1 added, 1 removed, 2 hooks reloaded',
    )
    expect(describeApply({ changed: [], added: ['d'], removed: [], hooksReloaded: 1 })).toBe(
      '1 PV added, 1 hook reloaded',
    )
    expect(describeApply({ changed: [], added: [], removed: [], hooksReloaded: 0 })).toBe('nothing changed')
  })
})
