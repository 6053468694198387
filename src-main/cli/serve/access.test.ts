import { describe, expect, it } from 'vitest'
import { AccessPolicy, generateAccessToken, isLoopbackHost } from './access'

const url = (path: string) => new URL(path, 'http://bridge.invalid')

describe('isLoopbackHost', () => {
  it('knows loopback from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true)
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.org', '128.0.0.1', 'localhost.evil.com']) {
      expect(isLoopbackHost(host), host).toBe(false)
    }
  })
})

describe('generateAccessToken', () => {
  it('makes long URL-safe tokens that differ', () => {
    const a = generateAccessToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(generateAccessToken()).not.toBe(a)
  })
})

describe('AccessPolicy without a token (loopback)', () => {
  const policy = new AccessPolicy(undefined, 5199)

  it('lets loopback Host headers in', () => {
    for (const host of ['127.0.0.1:5199', 'localhost:5199', '[::1]:5199']) {
      expect(policy.check(url('/'), { host }, false)).toEqual({ allowed: true })
    }
  })

  it('refuses a rebound DNS name and a missing Host', () => {
    expect(policy.check(url('/'), { host: 'attacker.example:5199' }, false)).toEqual({
      allowed: false,
      reason: 'foreign Host header attacker.example:5199',
    })
    expect(policy.check(url('/'), {}, false).allowed).toBe(false)
  })

  it('refuses a WebSocket opened by another origin', () => {
    const headers = { host: '127.0.0.1:5199', origin: 'https://attacker.example' }
    expect(policy.check(url('/bridge'), headers, true)).toEqual({
      allowed: false,
      reason: 'cross-origin WebSocket from https://attacker.example',
    })
    expect(policy.check(url('/bridge'), { ...headers, origin: 'http://127.0.0.1:5199' }, true).allowed).toBe(
      true,
    )
  })
})

describe('AccessPolicy with a token', () => {
  const token = generateAccessToken()
  const policy = new AccessPolicy(token, 5200)
  const host = '192.168.1.5:5200'

  it('accepts the token in the URL and hands out a cookie for follow-up requests', () => {
    const decision = policy.check(url(`/?token=${token}`), { host }, false)
    expect(decision).toEqual({
      allowed: true,
      cookie: `ioc_studio_token_5200=${token}; Path=/; HttpOnly; SameSite=Strict`,
    })
    expect(
      policy.check(url('/assets/x.js'), { host, cookie: `a=b; ioc_studio_token_5200=${token}` }, false),
    ).toEqual({
      allowed: true,
    })
  })

  it('refuses requests without it or with a wrong one', () => {
    expect(policy.check(url('/'), { host }, false)).toEqual({
      allowed: false,
      reason: 'missing access token',
    })
    expect(policy.check(url('/?token=guess'), { host }, false)).toEqual({
      allowed: false,
      reason: 'wrong access token',
    })
    expect(policy.check(url('/'), { host, cookie: `ioc_studio_token_5199=${token}` }, false).allowed).toBe(
      false,
    )
    expect(policy.check(url(`/bridge?token=${token.slice(0, -1)}`), { host }, true).allowed).toBe(false)
  })
})
