import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { REQUEST_NAMES, STREAM_NAMES, WINDOW_API_KEY } from '@shared/api/contract'
import type { IocApi, ServerStatus } from '@shared/api/contract'
import { ApiError } from '@shared/api/errors'
import { Emitter } from '@shared/base/event'
import { Backend } from '../backend'
import { InMemoryIpc } from './in-memory-ipc'
import { forwardStreams, handleRequests } from './ipc'
import { streamChannel } from './ipc-channels'

// The real preload, over an in-process IPC pair, to the real ipc.ts and Backend. Only Electron's two preload
// objects are replaced: contextBridge records what the page would see, ipcRenderer is the pair's end.
const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  ipcRenderer: undefined as unknown,
}))
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  get ipcRenderer() {
    return electron.ipcRenderer
  },
}))

const ipc = new InMemoryIpc()
electron.ipcRenderer = ipc.ipcRenderer
const backend = new Backend({
  host: 'electron',
  version: '1.2.3',
  flushIntervalMs: 5,
  // A CA server that starts at once; the engine itself is tested in src-main/ca.
  launchCaServer: async () => ({
    tcpPort: 45064,
    udpPort: 45064,
    interfaces: ['127.0.0.1'],
    warnings: [],
    clientCount: 0,
    pvCount: 0,
    onDidChangeCounts: new Emitter<void>().event,
    close: async () => {},
  }),
})
let api: IocApi

beforeAll(async () => {
  handleRequests(ipc.ipcMain, backend, { trustedOrigins: ['app://ioc'] })
  forwardStreams(ipc.webContents, backend)
  await import('./preload')
  api = electron.exposed.get(WINDOW_API_KEY) as IocApi
})

afterAll(() => backend.dispose())

describe('preload', () => {
  it('exposes window.ioc and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['ioc'])
  })

  it('exposes exactly one function per request and per stream: no generic invoke', () => {
    expect(Object.keys(api).sort()).toEqual([...REQUEST_NAMES, ...STREAM_NAMES].sort())
    for (const value of Object.values(api)) expect(value).toBeTypeOf('function')
    expect(api).not.toHaveProperty('invoke')
    expect(api).not.toHaveProperty('send')
  })

  it('runs requests in the backend', async () => {
    expect(await api.getAppInfo()).toMatchObject({ name: 'IOC Studio', version: '1.2.3', host: 'electron' })
    expect(await api.getServerStatus()).toMatchObject({ state: 'stopped' })
  })

  it('rejects bad arguments with the shared parser’s ApiError', async () => {
    const call = (api.getRecentLog as (...args: unknown[]) => Promise<unknown>)('lots')
    const error = await call.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'bad-arguments' })
    expect((error as Error).message).toMatch(/^getRecentLog: argument 'limit' must be an integer/)
  })

  it('delivers stream payloads alone, never the IPC event', async () => {
    const calls: unknown[][] = []
    const unsubscribe = api.onDidChangeServerStatus((...args: unknown[]) => calls.push(args))
    const running = await api.startServer()
    expect(running).toMatchObject({ state: 'running', tcpPort: 45064 })
    expect(calls.map((args) => args.length)).toEqual([1, 1])
    expect(calls.map(([status]) => (status as ServerStatus).state)).toEqual(['starting', 'running'])
    unsubscribe()
    await api.stopServer()
    expect(calls).toHaveLength(2)
  })

  it('removes its IPC listener on unsubscribe, once per subscription', () => {
    const channel = streamChannel('onDidRequestCommand')
    const before = ipc.listenerCount(channel)
    const seen: string[] = []
    const first = api.onDidRequestCommand((command) => seen.push(`a:${command}`))
    const second = api.onDidRequestCommand((command) => seen.push(`b:${command}`))
    expect(ipc.listenerCount(channel)).toBe(before + 2)
    backend.requestCommand('file.open')
    first()
    first()
    backend.requestCommand('file.save')
    second()
    expect(ipc.listenerCount(channel)).toBe(before)
    expect(seen).toEqual(['a:file.open', 'b:file.open', 'b:file.save'])
  })

  it('streams batched log entries', async () => {
    const messages: string[] = []
    const unsubscribe = api.onDidLog((batch) =>
      messages.push(...batch.filter((e) => e.source === 'test').map((e) => e.message)),
    )
    backend.log('info', 'test', 'one')
    backend.log('warn', 'test', 'two')
    await vi.waitFor(() => expect(messages).toEqual(['one', 'two']))
    unsubscribe()
  })

  it('refuses a listener that is not a function', () => {
    expect(() => api.onDidLog('nope' as never)).toThrow(/onDidLog: the listener must be a function/)
  })
})
