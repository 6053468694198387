/**
 * Offers text as a file download: the browser's save (or its downloads folder), Electron's save dialog. The
 * same in both hosts, and nothing leaves the machine.
 */
export function saveText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started by now; revoking later frees the blob.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** traffic-2026-01-02T14-03-27 */
export function timestampedName(stem: string, extension: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-')
  return `${stem}-${stamp}.${extension}`
}
