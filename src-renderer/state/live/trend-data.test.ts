import { describe, expect, it } from 'vitest'
import { SampleRing } from './sample-ring'
import { alignArrays, alignTrends } from './trend-data'

function ring(samples: [number, number][]): SampleRing {
  const r = new SampleRing(16)
  for (const [t, v] of samples) r.push(t, v)
  return r
}

describe('alignTrends', () => {
  it('merges histories on the union of their times from a start time', () => {
    const a = ring([
      [1, 10],
      [2, 20],
      [4, 40],
    ])
    const b = ring([
      [2, 200],
      [3, Number.NaN],
      [5, 500],
    ])
    expect(alignTrends([a, b], 2)).toEqual([
      [2, 3, 4, 5],
      [20, null, 40, null],
      [200, null, null, 500],
    ])
    expect(alignTrends([a, undefined], 0)).toEqual([
      [1, 2, 4],
      [10, 20, 40],
      [null, null, null],
    ])
    expect(alignTrends([], 0)).toEqual([[]])
  })
})

describe('alignArrays', () => {
  it('plots elements against their index', () => {
    expect(
      alignArrays([
        [1, 2, 3],
        [5, Number.NaN],
      ]),
    ).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [5, null, null],
    ])
  })
})
