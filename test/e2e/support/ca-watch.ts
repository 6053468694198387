/**
 * The pyepics client of the UI tests (../py/ca_watch.py): one long-lived process whose channels stay open,
 * recording every connection change, so "clients stay connected" is something a test can check.
 */
import { PythonDriver } from '../../interop/support/python-driver'
import type { DriverEvent } from '../../interop/support/python-driver'

const SCRIPT = new URL('../py/ca_watch.py', import.meta.url).pathname

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are whatever the script sent
export type Reply = DriverEvent & Record<string, any>

export class CaWatch {
  private readonly driver: PythonDriver

  constructor(ports: { serverPort: number; repeaterPort: number }) {
    this.driver = new PythonDriver(SCRIPT, {}, ports, 120_000)
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

  async connections(): Promise<Array<[string, boolean]>> {
    return (await this.call('connections')).changes as Array<[string, boolean]>
  }

  async quit(): Promise<void> {
    this.driver.send(JSON.stringify({ op: 'quit' }))
    await this.driver.result
  }

  kill(): void {
    this.driver.kill()
  }
}
