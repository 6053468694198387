/**
 * A long-lived pyepics process driven one JSON command per line (a script built on py/json_session.py):
 * `call` sends a command and resolves with its reply, or throws the error the script reported.
 * One process per test file: starting libca is the slow part.
 */
import { PythonDriver } from '../interop/support/python-driver'
import type { DriverEvent } from '../interop/support/python-driver'
import type { LoopbackClient } from './epics-client-env'

// Replies are whatever the script sent back as JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = DriverEvent & Record<string, any>

export class PyepicsSession {
  private readonly driver: PythonDriver

  constructor(script: string, client: LoopbackClient, timeoutMs = 120_000) {
    this.driver = new PythonDriver(script, {}, client, timeoutMs)
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

  async quit(): Promise<void> {
    this.driver.send(JSON.stringify({ op: 'quit' }))
    await this.driver.result
  }

  kill(): void {
    this.driver.kill()
  }
}
