/**
 * Writes typed in the studio (the Values table). They take the path of a Channel Access put, with the studio
 * as the client: the PV's access rights for that client (read-only PVs and access rules apply), conversion,
 * control limits, the putter hook, alarms, monitors, and a traffic event and put-log entry naming the studio.
 */
import { hostname, userInfo } from 'node:os'
import type { LiveWriteResult, LiveWriteValue } from '@shared/api/live'
import { AccessRights, Eca, ecaName } from '../../ca'
import type { ClientIdentity } from '../../ca'
import type { PvDatabase } from '../../ioc'
import { STUDIO_CIRCUIT_ID } from './traffic-json'

/** The client the studio is to the IOC: this machine, the user running the app, a circuit no socket uses. */
export function studioIdentity(): ClientIdentity {
  let user = ''
  try {
    user = userInfo().username
  } catch {
    // No passwd entry (some containers): the write still goes, without a user name.
  }
  return {
    circuitId: STUDIO_CIRCUIT_ID,
    address: '127.0.0.1',
    port: 0,
    hostName: hostname(),
    userName: user,
    minorVersion: 13,
  }
}

export async function writeFromStudio(
  database: PvDatabase,
  studio: ClientIdentity,
  name: string,
  value: LiveWriteValue,
): Promise<LiveWriteResult> {
  const pv = database.get(name)
  if (!pv) return { ok: false, status: ecaName(Eca.BADCHID), message: `There is no PV named ${name}` }
  if ((pv.accessFor(studio) & AccessRights.WRITE) === 0) {
    return { ok: false, status: ecaName(Eca.NOWTACCESS), message: `${name} is read-only` }
  }
  const outcome = await pv.put(value, { client: studio })
  const ok = outcome.status === Eca.NORMAL
  return ok
    ? { ok, status: ecaName(outcome.status) }
    : { ok, status: ecaName(outcome.status), message: outcome.message ?? `${name}: the put failed` }
}
