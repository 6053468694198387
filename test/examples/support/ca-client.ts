/**
 * A pyepics session (test/examples/py/ca_client.py) on loopback: the EPICS client users run, one process per
 * test file (starting libca is the slow part). `call` sends one command and returns its reply.
 */
import type { LoopbackClient } from '../../support/epics-client-env'
import { PyepicsSession } from '../../support/pyepics-session'
import type { Reply } from '../../support/pyepics-session'

export type { Reply } from '../../support/pyepics-session'

const SCRIPT = new URL('../py/ca_client.py', import.meta.url).pathname

export class CaClient extends PyepicsSession {
  /** `serverPort`: the IOC's port; `repeaterPort`: a private one, so libca never touches 5065. */
  constructor(ports: LoopbackClient, timeoutMs = 120_000) {
    super(SCRIPT, ports, timeoutMs)
  }

  get(pv: string, options: { ctrl?: boolean; as_string?: boolean } = {}): Promise<Reply> {
    return this.call('get', { pv, ...options })
  }

  put(pv: string, value: unknown): Promise<Reply> {
    return this.call('put', { pv, value })
  }

  /** Polls until the PV reads `value` (numbers within `tol`); resolves with what it saw last. */
  waitFor(pv: string, value: unknown, options: { timeout?: number; tol?: number } = {}): Promise<Reply> {
    return this.call('wait', { pv, value, ...options })
  }
}
