/**
 * A long-lived pyepics client (Debian's python3 + libca) for the Python corpus suites: one JSON command per line
 * in, one JSON reply per line out (see ../clients/pyepics_client.py). It runs in its own process, so the CA
 * server in this process keeps answering while the client waits.
 */
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { resolve } from 'node:path'
import { loopbackClientEnv } from '../../support/epics-client-env'
import { SYSTEM_PYTHON } from '../../support/system'

export interface PvInfo {
  readonly connected: boolean
  readonly ftype: number
  readonly count: number
  readonly nelm: number
  readonly value: unknown
  readonly read_access: boolean
  readonly write_access: boolean
  readonly severity: number
  readonly status: number
  readonly units: string | null
  readonly precision: number | null
  readonly enum_strs: string[] | null
  readonly upper_disp_limit: number | null
  readonly lower_disp_limit: number | null
  readonly upper_alarm_limit: number | null
  readonly upper_warning_limit: number | null
  readonly lower_warning_limit: number | null
  readonly lower_alarm_limit: number | null
  readonly upper_ctrl_limit: number | null
  readonly lower_ctrl_limit: number | null
}

export interface GetReply {
  readonly value: unknown
  readonly severity: number
  readonly status: number
}

export interface PutReply {
  /** ECA status of the put-callback reply (1 = ECA_NORMAL); null when no reply came. */
  readonly status: number | null
  readonly completed: boolean
}

export class PyepicsClient {
  private readonly child: ChildProcessWithoutNullStreams
  private readonly waiting: Array<(line: string) => void> = []
  private pending = ''
  private stderr = ''
  /** Commands run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(serverPort: number, repeaterPort: number) {
    this.child = spawn(SYSTEM_PYTHON, [resolve(import.meta.dirname, '../clients/pyepics_client.py')], {
      env: loopbackClientEnv({ serverPort, repeaterPort, env: { EPICS_CA_MAX_ARRAY_BYTES: '1000000' } }),
      stdio: 'pipe',
    })
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk))
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.pending += chunk
      let newline: number
      while ((newline = this.pending.indexOf('\n')) >= 0) {
        const line = this.pending.slice(0, newline)
        this.pending = this.pending.slice(newline + 1)
        this.waiting.shift()?.(line)
      }
    })
    this.child.stdin.on('error', () => {})
  }

  private command<T>(command: Record<string, unknown>, timeoutMs = 20_000): Promise<T> {
    const run = () =>
      new Promise<T>((resolvePromise, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `pyepics client: no reply to ${JSON.stringify(command)}\n${this.stderr.slice(-2000)}`,
              ),
            ),
          timeoutMs,
        )
        this.waiting.push((line) => {
          clearTimeout(timer)
          const reply = JSON.parse(line) as { ok: boolean; error?: string } & T
          if (reply.ok) resolvePromise(reply)
          else reject(new Error(`pyepics client: ${reply.error}`))
        })
        this.child.stdin.write(`${JSON.stringify(command)}\n`)
      })
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }

  info(...names: string[]): Promise<Record<string, PvInfo>> {
    return this.command({ op: 'info', names })
  }

  get(name: string, asString = false): Promise<GetReply> {
    return this.command({ op: 'get', name, as_string: asString })
  }

  async value(name: string, asString = false): Promise<unknown> {
    return (await this.get(name, asString)).value
  }

  put(name: string, value: unknown, wait = true): Promise<PutReply> {
    return this.command({ op: 'put', name, value, wait })
  }

  /** Connection changes libca reported for `name` (true = connected). */
  async connections(name: string): Promise<boolean[]> {
    return (await this.command<{ events: boolean[] }>({ op: 'connections', name })).events
  }

  close(): void {
    this.child.stdin.end()
    this.child.kill()
  }
}

/** Polls `read` until `accept` holds; returns the last value read. */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const end = Date.now() + timeoutMs
  let last = await read()
  while (!accept(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}`)
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50))
    last = await read()
  }
  return last
}
