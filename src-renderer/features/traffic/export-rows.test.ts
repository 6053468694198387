import { describe, expect, it } from 'vitest'
import type { LiveTrafficEvent } from '@shared/api/live'
import { eventsToCsv, eventsToJson, exportedEvent, exportedPut, putsToCsv } from './export-rows'
import { timestampedName } from './save-text'

const alice = { key: 'c2', circuitId: 2, address: '127.0.0.1', port: 5100, host: 'ws1', user: 'alice' }
const put: LiveTrafficEvent = {
  seq: 7,
  time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  op: 'put-done',
  pv: 'sim:msg',
  client: 'c2',
  dbrType: 'DBR_STRING',
  count: 1,
  value: '"a, \\"b\\""',
  oldValue: '"x"',
  newValue: '"a, \\"b\\""',
  status: 'ECA_NORMAL',
  ok: true,
  hookMs: 1.25,
  durationMs: 3,
}

describe('traffic export', () => {
  it('writes CSV with a header, quoting what needs quoting', () => {
    const text = eventsToCsv([
      exportedEvent(put, alice),
      exportedEvent({ ...put, seq: 8, client: null }, undefined),
    ])
    const lines = text.split('\r\n')
    expect(lines[0]).toBe(
      'seq,time,op,pv,client,address,host,user,dbrType,count,value,oldValue,newValue,status,ok,hookMs,durationMs,message',
    )
    expect(lines[1]).toBe(
      '7,2026-01-02T03:04:05.678Z,put-done,sim:msg,c2,127.0.0.1:5100,ws1,alice,DBR_STRING,1,' +
        '"""a, \\""b\\""""","""x""","""a, \\""b\\""""",ECA_NORMAL,true,1.25,3,',
    )
    expect(lines[2]).toMatch(/^8,.*,,,,,DBR_STRING/)
    expect(lines[3]).toBe('')
  })

  it('writes JSON that reads back to the same rows', () => {
    const rows = [exportedEvent(put, alice)]
    expect(JSON.parse(eventsToJson(rows))).toEqual(rows)
    expect(rows[0]).toMatchObject({ user: 'alice', host: 'ws1', hookMs: 1.25, message: '' })
  })

  it('writes the put log', () => {
    const entry = exportedPut({ time: put.time, pv: 'sim:x', client: alice, oldValue: '1', newValue: '2' })
    expect(putsToCsv([entry])).toBe(
      'time,pv,client,address,oldValue,newValue\r\n2026-01-02T03:04:05.678Z,sim:x,alice@ws1,127.0.0.1,1,2\r\n',
    )
  })

  it('names files after the moment', () => {
    expect(timestampedName('traffic', 'csv', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe(
      'traffic-2026-01-02T03-04-05.csv',
    )
  })
})
