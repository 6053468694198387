import { describe, expect, it } from 'vitest'
import { EventBatcher } from './event-batcher'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('EventBatcher', () => {
  it('delivers a burst as one batch after the interval', async () => {
    const batches: number[][] = []
    const batcher = new EventBatcher<number>(30, 100, (batch) => batches.push(batch))
    for (let i = 0; i < 10; i++) batcher.push(i)
    expect(batches).toEqual([])
    await sleep(60)
    expect(batches).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
    batcher.push(10)
    await sleep(60)
    expect(batches).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10]])
    batcher.dispose()
  })

  it('keeps the newest items and counts what it dropped', () => {
    const seen: Array<[number[], number]> = []
    const batcher = new EventBatcher<number>(1000, 3, (batch, dropped) => seen.push([batch, dropped]))
    for (let i = 0; i < 5; i++) batcher.push(i)
    batcher.flush()
    expect(seen).toEqual([[[2, 3, 4], 2]])
    batcher.flush()
    expect(seen).toHaveLength(1)
    batcher.dispose()
  })

  it('delivers nothing after dispose', async () => {
    const batches: number[][] = []
    const batcher = new EventBatcher<number>(10, 10, (batch) => batches.push(batch))
    batcher.push(1)
    batcher.dispose()
    await sleep(30)
    expect(batches).toEqual([])
  })
})
