/**
 * The pyepics client of the UI tests (../py/ca_watch.py): one long-lived process whose channels stay open,
 * recording every connection change, so "clients stay connected" is something a test can check.
 */
import type { LoopbackClient } from '../../support/epics-client-env'
import { PyepicsSession } from '../../support/pyepics-session'

export type { Reply } from '../../support/pyepics-session'

const SCRIPT = new URL('../py/ca_watch.py', import.meta.url).pathname

export class CaWatch extends PyepicsSession {
  constructor(ports: LoopbackClient) {
    super(SCRIPT, ports)
  }

  async connections(): Promise<Array<[string, boolean]>> {
    return (await this.call('connections')).changes as Array<[string, boolean]>
  }
}
