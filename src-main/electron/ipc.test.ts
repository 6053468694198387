import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { STREAM_NAMES } from '@shared/api/contract'
import type { AppInfo, LogEntry, ServerStatus } from '@shared/api/contract'
import { toDisposable } from '@shared/base/event'
import type { Disposable } from '@shared/base/event'
import { Backend } from '../backend'
import { InMemoryIpc } from './in-memory-ipc'
import { forwardStreams, handleRequests } from './ipc'
import { REQUEST_CHANNEL, streamChannel } from './ipc-channels'
import type { IpcReply } from './ipc-channels'

let ipc: InMemoryIpc
let backend: Backend
let refused: string[]
let launches: number

beforeEach(() => {
  ipc = new InMemoryIpc()
  refused = []
  launches = 0
  backend = new Backend({
    host: 'electron',
    version: '9.8.7',
    versions: { electron: '45.5.0' },
    flushIntervalMs: 5,
    launchCaServer: () => {
      launches++
      return Promise.reject(new Error('port 5064 is busy'))
    },
  })
  handleRequests(ipc.ipcMain, backend, {
    trustedOrigins: ['app://ioc', 'http://localhost:5173'],
    onRefused: (url) => refused.push(url),
  })
})

afterEach(() => backend.dispose())

const call = (name: unknown, args?: unknown) =>
  ipc.ipcRenderer.invoke(REQUEST_CHANNEL, name, args) as Promise<IpcReply>

describe('request channel', () => {
  it('answers our own page through the backend', async () => {
    const reply = await call('getAppInfo', [])
    expect(reply.ok).toBe(true)
    const info = (reply as { result: AppInfo }).result
    expect(info).toMatchObject({ name: 'IOC Studio', version: '9.8.7', host: 'electron' })
    expect(info.versions.electron).toBe('45.5.0')
  })

  it('accepts the dev server origin it was given', async () => {
    ipc.frameUrl = 'http://localhost:5173/'
    expect((await call('getServerStatus', [])).ok).toBe(true)
  })

  it.each([
    'https://evil.example/app://ioc/index.html',
    'file:///tmp/index.html',
    'app://iocx/index.html',
    'http://localhost:5174/',
    'http://127.0.0.1:5173/',
    'about:blank',
    '',
  ])('refuses a frame from %j before the backend sees anything', async (url) => {
    ipc.frameUrl = url
    const reply = await call('startServer', [])
    expect(reply).toEqual({
      ok: false,
      error: { code: 'failed', message: 'Request refused: the page is not IOC Studio' },
    })
    expect(refused).toEqual([url])
    expect(launches).toBe(0)
  })

  it('refuses a request whose frame is already gone', async () => {
    ipc.frameUrl = null
    expect((await call('getAppInfo', [])).ok).toBe(false)
    expect(refused).toEqual([''])
  })

  it.each(['dispose', 'log', 'requestCommand', 'constructor', '__proto__', 'onDidLog', 42, null])(
    'rejects %j: not a request of the contract, even though the Backend has it',
    async (name) => {
      const reply = await call(name, [])
      expect(reply.ok).toBe(false)
      expect((reply as { error: { code: string } }).error.code).toBe('unknown-method')
    },
  )

  it('rejects bad arguments with the shared parser, naming the argument', async () => {
    for (const args of [['ten'], [0], [1, 2], 'not a list']) {
      const reply = await call('getRecentLog', args)
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad-arguments' } })
      expect((reply as { error: { message: string } }).error.message).toMatch(/^getRecentLog: /)
    }
    const ok = await call('getRecentLog', [3])
    expect(ok).toEqual({ ok: true, result: [] })
  })

  it('returns a failing operation as a status, not as a transport error', async () => {
    const reply = await call('startServer', [])
    expect(reply.ok).toBe(true)
    expect((reply as { result: ServerStatus }).result).toMatchObject({
      state: 'error',
      error: 'port 5064 is busy',
    })
    expect(launches).toBe(1)
  })

  it('stops answering once disposed', async () => {
    const second = new InMemoryIpc()
    const registration = handleRequests(second.ipcMain, backend, { trustedOrigins: ['app://ioc'] })
    expect((await second.ipcRenderer.invoke(REQUEST_CHANNEL, 'getAppInfo', [])).ok).toBe(true)
    registration.dispose()
    await expect(second.ipcRenderer.invoke(REQUEST_CHANNEL, 'getAppInfo', [])).rejects.toThrow(/No handler/)
  })
})

describe('stream forwarding', () => {
  it('pushes every stream to the page on its own channel', async () => {
    forwardStreams(ipc.webContents, backend)
    backend.requestCommand('file.save')
    backend.log('info', 'test', 'hello')
    await call('startServer', [])
    await new Promise((resolve) => setTimeout(resolve, 30))

    const on = (stream: (typeof STREAM_NAMES)[number]) =>
      ipc.sent.filter((m) => m.channel === streamChannel(stream)).map((m) => m.args)
    expect(on('onDidRequestCommand')).toEqual([['file.save']])
    const states = on('onDidChangeServerStatus').map(([status]) => (status as ServerStatus).state)
    expect(states).toEqual(['starting', 'error'])
    const logged = on('onDidLog').flatMap(([batch]) => batch as LogEntry[])
    expect(logged.map((e) => e.message)).toContain('hello')
  })

  it('stops when the window goes, and the backend keeps no listener for it', async () => {
    // The same backend, counting live subscriptions to its streams.
    let live = 0
    const counting = Object.create(backend) as Backend
    for (const stream of STREAM_NAMES) {
      const event = backend[stream] as (listener: (payload: never) => void) => Disposable
      Object.defineProperty(counting, stream, {
        value: (listener: (payload: never) => void) => {
          live++
          const subscription = event(listener)
          return toDisposable(() => {
            live--
            subscription.dispose()
          })
        },
      })
    }
    forwardStreams(ipc.webContents, counting)
    expect(live).toBe(STREAM_NAMES.length)
    ipc.destroy()
    expect(live).toBe(0)
    // send() would throw on a destroyed page: nothing may reach it.
    backend.requestCommand('file.new')
    backend.log('info', 'test', 'after close')
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(ipc.sent).toEqual([])
  })

  it('can be stopped early by the shell', () => {
    const forwarding = forwardStreams(ipc.webContents, backend)
    forwarding.dispose()
    backend.requestCommand('help.about')
    expect(ipc.sent).toEqual([])
  })
})
