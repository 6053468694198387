import { describe, expect, it } from 'vitest'
import { concatMessages, encodeMessage, writeEcho, writeSearchRequest, writeVersion } from '../wire/messages'
import { Command, DO_REPLY } from '../wire/protocol'
import { SearchDatagramInfo, SearchReplyBatch, readSearchDatagram } from './search'
import { parseDatagram } from './testing/raw-client'

function read(datagram: Buffer): { searches: unknown[][]; info: SearchDatagramInfo } {
  const searches: unknown[][] = []
  const info = new SearchDatagramInfo()
  readSearchDatagram(datagram, { onSearch: (...args) => searches.push(args) }, info)
  return { searches, info }
}

describe('readSearchDatagram', () => {
  it('reports the VERSION prefix and every SEARCH in order', () => {
    const { searches, info } = read(
      concatMessages(
        encodeMessage(writeVersion, 1, 13, 77),
        encodeMessage(writeSearchRequest, 'a:b', 1),
        encodeMessage(writeEcho),
        encodeMessage(writeSearchRequest, 'c', 2, DO_REPLY, 12),
      ),
    )
    expect(info).toMatchObject({
      hasVersion: true,
      clientMinorVersion: 13,
      sequence: 77,
      sequenceValid: true,
    })
    expect(searches).toEqual([
      ['a:b', 1, 5, 13],
      ['c', 2, DO_REPLY, 12],
    ])
  })

  it('ignores searches from clients older than 4.4 and empty names, and stops at truncation', () => {
    const empty = Buffer.from('000600080005000d0000000300000003' + '0000000000000000', 'hex')
    const old = encodeMessage(writeSearchRequest, 'old', 4, 5, 3)
    const good = encodeMessage(writeSearchRequest, 'ok', 5)
    const truncated = encodeMessage(writeSearchRequest, 'cut:off:name', 6).subarray(0, 20)
    const { searches, info } = read(concatMessages(empty, old, good, truncated))
    expect(info.hasVersion).toBe(false)
    expect(searches).toEqual([['ok', 5, 5, 13]])
  })

  it('uses the whole payload as the name when the NUL is missing', () => {
    const unterminated = Buffer.from('000600080005000d0000000700000007' + '6162636465666768', 'hex')
    expect(read(unterminated).searches).toEqual([['abcdefg', 7, 5, 13]])
  })
})

describe('SearchReplyBatch', () => {
  it('starts every datagram with VERSION and keeps each within 1024 bytes', () => {
    const batch = new SearchReplyBatch(15000, 13, 99)
    for (let id = 0; id < 50; id++) batch.add(id)
    const datagrams = batch.take()
    expect(datagrams.map((d) => d.length)).toEqual([16 + 42 * 24, 16 + 8 * 24])
    for (const datagram of datagrams) {
      const [version, ...replies] = parseDatagram(datagram)
      expect([version.command, version.dataType, version.count, version.parameter1]).toEqual([0, 1, 13, 99])
      for (const reply of replies)
        expect([reply.command, reply.dataType, reply.payloadSize]).toEqual([6, 15000, 8])
    }
    expect(batch.take()).toEqual([])
  })

  it('leaves out the VERSION for clients older than 4.11', () => {
    const batch = new SearchReplyBatch(15000, 10, 0)
    batch.add(1)
    expect(parseDatagram(batch.take()[0]).map((m) => m.command)).toEqual([Command.SEARCH])
  })
})
