import { describe, expect, it } from 'vitest'
import { formatTsv, parseTsv } from './tsv'

describe('parseTsv', () => {
  it('splits rows and cells as spreadsheets copy them', () => {
    expect(parseTsv('name\ttype\r\nTEMP\tDOUBLE\r\n')).toEqual([
      ['name', 'type'],
      ['TEMP', 'DOUBLE'],
    ])
    expect(parseTsv('a\t\tc\nd')).toEqual([['a', '', 'c'], ['d']])
    expect(parseTsv('')).toEqual([])
  })

  it('reads quoted cells with tabs, line breaks and doubled quotes', () => {
    expect(parseTsv('"two\nlines"\t"tab\there"\t"say ""hi"""\n')).toEqual([
      ['two\nlines', 'tab\there', 'say "hi"'],
    ])
  })

  it('keeps a quote inside a plain cell', () => {
    expect(parseTsv('5" pipe\tok')).toEqual([['5" pipe', 'ok']])
  })

  it('round-trips through formatTsv', () => {
    const rows = [
      ['PV:A', 'line\nbreak', 'q"uote'],
      ['', 'x', '\t'],
    ]
    expect(parseTsv(formatTsv(rows))).toEqual(rows)
  })
})
