/**
 * A pyepics session (test/examples/py/ca_client.py) on loopback: the EPICS client users run, one process per
 * test file (starting libca is the slow part). `call` sends one command and returns its reply.
 */
import { PythonDriver } from '../../interop/support/python-driver'
import type { DriverEvent } from '../../interop/support/python-driver'

const SCRIPT = new URL('../py/ca_client.py', import.meta.url).pathname

// Replies are whatever the driver sent back as JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = DriverEvent & Record<string, any>

export class CaClient {
  private readonly driver: PythonDriver

  /** `serverPort`: the IOC's port; `repeaterPort`: a private one, so libca never touches 5065. */
  constructor(ports: { serverPort: number; repeaterPort: number }, timeoutMs = 120_000) {
    this.driver = new PythonDriver(SCRIPT, {}, ports, timeoutMs)
  }

  ready(): Promise<DriverEvent> {
    return this.driver.next('ready')
  }

  async call(op: string, args: Record<string, unknown> = {}): Promise<Reply> {
    this.driver.send(JSON.stringify({ op, ...args }))
    const reply = (await this.driver.next('reply')) as Reply
    if (!reply.ok) throw new Error(`${op} ${JSON.stringify(args)}: ${String(reply.error)}`)
    return reply
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

  async quit(): Promise<void> {
    this.driver.send(JSON.stringify({ op: 'quit' }))
    await this.driver.result
  }

  kill(): void {
    this.driver.kill()
  }
}
