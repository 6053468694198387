/**
 * `NAME$` / `NAME.VAL$` (and `NAME.DESC$`…): a STRING channel served as a CHAR array, as rsrv does for long
 * strings. The snapshot is the source's own (a STRING snapshot read as a CHAR type encodes as its latin-1 bytes
 * and a NUL), so the view converts nothing on reads; a CHAR put becomes the text up to its NUL.
 */
import type { Event } from '@shared/base/event'
import type { AccessRights, ClientIdentity, PvPost, ServedPv, WriteOutcome } from '../ca/server/provider'
import { NativeType } from '../ca/wire/snapshot'
import type { PvSnapshot, PvValue } from '../ca/wire/snapshot'
import type { DerivedChannel } from './pv'
import { latin1Text, MAX_STRING_LENGTH } from './values'

export class LongStringView implements DerivedChannel {
  readonly nativeType = NativeType.CHAR
  /** The 39 characters of a DBR_STRING and its NUL. */
  readonly maxCount = MAX_STRING_LENGTH + 1
  readonly onDidPost: Event<PvPost>
  readonly onDidChangeAccess: Event<void>
  readonly onDidRemove: Event<void>

  constructor(
    readonly name: string,
    private readonly source: ServedPv,
  ) {
    this.onDidPost = source.onDidPost
    this.onDidChangeAccess = source.onDidChangeAccess
    this.onDidRemove = source.onDidRemove
  }

  get snapshot(): PvSnapshot {
    return this.source.snapshot
  }

  accessFor(client: ClientIdentity): AccessRights {
    return this.source.accessFor(client)
  }

  read(client: ClientIdentity): PvSnapshot | Promise<PvSnapshot> {
    return this.source.read(client)
  }

  write(client: ClientIdentity, value: PvValue): WriteOutcome | Promise<WriteOutcome> {
    const text = value instanceof Uint8Array ? latin1Text(value) : String(value[0] ?? '')
    return this.source.write(client, Object.freeze([text]))
  }

  /** Nothing of its own to release: its events are the source's, which the source disposes. */
  dispose(): void {}
}
