/**
 * Tab-separated text as spreadsheets put it on the clipboard (Excel, LibreOffice, Google Sheets): rows end
 * with LF or CRLF, a trailing line break ends the last row, and a cell that holds a tab, a line break or a
 * quote is wrapped in double quotes with inner quotes doubled.
 */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let i = 0
  const endCell = () => {
    row.push(cell)
    cell = ''
  }
  const endRow = () => {
    endCell()
    rows.push(row)
    row = []
  }
  while (i < text.length) {
    const ch = text[i]
    if (cell === '' && ch === '"' && startsQuotedCell(text, i)) {
      i++
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"'
            i += 2
            continue
          }
          i++
          break
        }
        cell += text[i++]
      }
      continue
    }
    if (ch === '\t') endCell()
    else if (ch === '\n') endRow()
    else if (ch === '\r' && text[i + 1] === '\n') {
      endRow()
      i++
    } else cell += ch
    i++
  }
  if (cell !== '' || row.length > 0) endRow()
  return rows
}

/** A quote opens a quoted cell only at the start of a cell (`5" pipe` is plain text). */
function startsQuotedCell(text: string, i: number): boolean {
  return i === 0 || text[i - 1] === '\t' || text[i - 1] === '\n'
}

/** The inverse, for copying rows out: quotes only the cells that need it. */
export function formatTsv(rows: readonly (readonly string[])[]): string {
  return rows
    .map((row) =>
      row.map((cell) => (/[\t\n\r"]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join('\t'),
    )
    .join('\n')
}
