import { describe, expect, it } from 'vitest'
import { DocumentSync } from './document-sync'

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function backend(delayMs = 5) {
  const received: string[] = []
  let busy = 0
  let maxBusy = 0
  const send = async (doc: string) => {
    busy++
    maxBusy = Math.max(maxBusy, busy)
    await tick(delayMs)
    received.push(doc)
    busy--
  }
  return { received, send, maxBusy: () => maxBusy }
}

describe('DocumentSync', () => {
  it('sends the newest document once typing pauses', async () => {
    const b = backend()
    const sync = new DocumentSync(b.send, 20)
    sync.reset('v0')
    sync.changed('v1')
    sync.changed('v2')
    sync.changed('v3')
    await tick(60)
    expect(b.received).toEqual(['v3'])
    expect(sync.acknowledged).toBe('v3')
  })

  it('flush sends now, one request at a time, and ends with the newest', async () => {
    const b = backend(10)
    const sync = new DocumentSync(b.send, 1000)
    sync.reset('v0')
    sync.changed('v1')
    const first = sync.flush()
    sync.changed('v2')
    const second = sync.flush()
    await Promise.all([first, second])
    expect(b.received).toEqual(['v1', 'v2'])
    expect(b.maxBusy()).toBe(1)
    await sync.flush()
    expect(b.received).toEqual(['v1', 'v2'])
  })

  it('sends nothing for a document the backend loaded itself', async () => {
    const b = backend()
    const sync = new DocumentSync(b.send, 5)
    sync.changed('edited')
    sync.reset('opened')
    await tick(30)
    await sync.flush()
    expect(b.received).toEqual([])
  })

  it('rejects flush when the backend refuses, and tries again on the next flush', async () => {
    let fail = true
    const received: string[] = []
    const sync = new DocumentSync(async (doc: string) => {
      if (fail) throw new Error('bad project')
      received.push(doc)
    }, 1000)
    sync.reset('v0')
    sync.changed('v1')
    await expect(sync.flush()).rejects.toThrow('bad project')
    fail = false
    await sync.flush()
    expect(received).toEqual(['v1'])
  })

  it('sends again after invalidate (the backend reconnected or restarted)', async () => {
    const b = backend()
    const sync = new DocumentSync(b.send, 1000)
    sync.reset('v1')
    sync.invalidate()
    sync.changed('v1')
    await sync.flush()
    expect(b.received).toEqual(['v1'])
  })
})
