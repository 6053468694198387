import { afterEach, describe, expect, it } from 'vitest'
import type { LogEntry } from '@shared/api/contract'
import { ApiError } from '@shared/api/errors'
import { Backend } from './backend'
import { dispatchRequest, subscribeStream } from './dispatch'

const backends: Backend[] = []
function backend(flushIntervalMs = 20): Backend {
  const created = new Backend({
    host: 'browser',
    version: '1.2.3',
    versions: { chrome: '156' },
    launchCaServer: () => Promise.reject(new Error('port 5064 is busy')),
    flushIntervalMs,
  })
  backends.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.dispose()))
})

describe('Backend', () => {
  it('describes the app and its host', async () => {
    const info = await dispatchRequest(backend(), 'getAppInfo', [])
    expect(info).toMatchObject({
      name: 'IOC Studio',
      version: '1.2.3',
      host: 'browser',
      platform: process.platform,
    })
    expect(info).toHaveProperty('versions.node', process.versions.node)
    expect(info).toHaveProperty('versions.chrome', '156')
    expect(JSON.parse(JSON.stringify(info))).toEqual(info)
  })

  it('streams log entries in batches and keeps them for getRecentLog', async () => {
    const b = backend(30)
    const batches: LogEntry[][] = []
    const sub = subscribeStream(b, 'onDidLog', (batch) => batches.push(batch as LogEntry[]))
    b.log('info', 'test', 'one')
    b.log('warn', 'test', 'two')
    expect(batches).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(batches.map((batch) => batch.map((e) => e.message))).toEqual([['one', 'two']])
    const recent = (await dispatchRequest(b, 'getRecentLog', [1])) as LogEntry[]
    expect(recent.map((e) => [e.level, e.source, e.message])).toEqual([['warn', 'test', 'two']])
    sub.dispose()
  })

  it('reports a CA server that cannot start as an error status and a log entry', async () => {
    const b = backend()
    const statuses: string[] = []
    subscribeStream(b, 'onDidChangeServerStatus', (status) =>
      statuses.push((status as { state: string }).state),
    )
    const status = await dispatchRequest(b, 'startServer', [])
    expect(status).toMatchObject({ state: 'error', error: 'port 5064 is busy' })
    expect(statuses).toEqual(['starting', 'error'])
    const log = (await dispatchRequest(b, 'getRecentLog', [10])) as LogEntry[]
    expect(log.at(-1)).toMatchObject({ level: 'error', source: 'server' })
  })

  it('relays host commands to subscribers', () => {
    const b = backend()
    const commands: unknown[] = []
    const sub = subscribeStream(b, 'onDidRequestCommand', (command) => commands.push(command))
    b.requestCommand('help.about')
    sub.dispose()
    b.requestCommand('server.start')
    expect(commands).toEqual(['help.about'])
  })
})

describe('dispatchRequest', () => {
  it('rejects what the contract does not know before the backend sees it', async () => {
    const b = backend()
    for (const name of ['dispose', 'log', 'requestCommand', 'constructor']) {
      await expect(dispatchRequest(b, name, [])).rejects.toMatchObject({ code: 'unknown-method' })
    }
    await expect(dispatchRequest(b, 'getRecentLog', ['all'])).rejects.toThrow(
      new ApiError(
        'bad-arguments',
        'getRecentLog: argument \'limit\' must be an integer from 1 to 5000, got "all"',
      ),
    )
  })

  it('refuses unknown streams', () => {
    expect(() => subscribeStream(backend(), 'onDidAnything', () => {})).toThrow(
      'Unknown stream "onDidAnything"',
    )
  })
})
