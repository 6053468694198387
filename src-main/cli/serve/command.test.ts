import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../options'
import { DEFAULT_SERVE_PORT, serveSettings } from './command'

describe('serveSettings', () => {
  it('binds loopback on the default port without a token by default', () => {
    expect(serveSettings([], '/opt/ioc/renderer')).toEqual({
      host: '127.0.0.1',
      port: DEFAULT_SERVE_PORT,
      rendererDir: '/opt/ioc/renderer',
      token: undefined,
    })
    for (const host of ['localhost', '::1', '127.0.0.2']) {
      expect(serveSettings(['--host', host], '.'), host).toMatchObject({ host, token: undefined })
    }
  })

  it('requires a fresh random token for any other interface', () => {
    const first = serveSettings(['--host', '0.0.0.0', '--port', '8080'], '.')
    const second = serveSettings(['--host=192.168.1.20'], '.')
    expect(first).toMatchObject({ host: '0.0.0.0', port: 8080, token: expect.stringMatching(/^[\w-]{43}$/) })
    expect(second).toMatchObject({ token: expect.stringMatching(/^[\w-]{43}$/) })
    expect(first).not.toMatchObject({ token: (second as { token: string }).token })
  })

  it('resolves --renderer and answers --help', () => {
    expect(serveSettings(['--renderer', 'build/ui'], '.')).toMatchObject({ rendererDir: resolve('build/ui') })
    expect(serveSettings(['--help'], '.')).toBe('help')
    expect(() => serveSettings(['--port', '70000'], '.')).toThrow(UsageError)
  })
})
