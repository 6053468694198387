/**
 * Format migrations: each one takes a document of version `from` to `from + 1`, as plain JSON, without touching
 * its input. Loading applies them in order, so a file written by any older IOC Studio opens in this one.
 *
 * Version 1 is the first published format, so the list is empty; a future format change adds one migration
 * here and a test with a document of the old version.
 */

export type JsonObject = { readonly [key: string]: unknown }

export interface Migration {
  readonly from: number
  /** One line for the load warnings: what changed. */
  readonly summary: string
  migrate(document: JsonObject): JsonObject
}

export const MIGRATIONS: readonly Migration[] = []

export type MigrationResult =
  | { readonly ok: true; readonly document: JsonObject; readonly applied: readonly string[] }
  | { readonly ok: false; readonly message: string }

/** Brings `document` (version `version`) up to `target` with `migrations`; says what ran or why it cannot. */
export function migrate(
  document: JsonObject,
  version: number,
  target: number,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  if (version > target) {
    return {
      ok: false,
      message: `version ${version} is newer than this IOC Studio reads (${target}); update IOC Studio to open it`,
    }
  }
  let current = document
  const applied: string[] = []
  for (let from = version; from < target; from++) {
    const step = migrations.find((migration) => migration.from === from)
    if (!step) return { ok: false, message: `version ${from} is not a format IOC Studio ever wrote` }
    current = { ...step.migrate(current), formatVersion: from + 1 }
    applied.push(`version ${from} -> ${from + 1}: ${step.summary}`)
  }
  return { ok: true, document: current, applied }
}
