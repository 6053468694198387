/**
 * NUL-terminated latin-1 strings inside messages (PV names, client and host names), read in place.
 */

/** Offset of the first NUL in `source[start, end)`, or `end` when there is none; never looks past `end`. */
export function nulOrEnd(source: Uint8Array, start: number, end: number): number {
  // A plain loop: names are short, and Buffer.indexOf's native call costs more than scanning them.
  for (let i = start; i < end; i++) if (source[i] === 0) return i
  return end
}

/** The text of a NUL-terminated latin-1 string in `source[start, end)` (all of it if there is no NUL). */
export function readCString(source: Buffer, start: number, end: number): string {
  return source.toString('latin1', start, nulOrEnd(source, start, end))
}
