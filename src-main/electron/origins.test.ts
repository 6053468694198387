import { describe, expect, it } from 'vitest'
import { isTrustedUrl, originOf } from './origins'
describe('originOf', () => {
  it('gives scheme and host for our custom scheme, where URL.origin says "null"', () => {
    expect(new URL('app://ioc/index.html').origin).toBe('null')
    expect(originOf('app://ioc/index.html')).toBe('app://ioc')
    expect(originOf('app://IOC/x')).toBe('app://ioc')
    expect(originOf('http://localhost:5173/src/index.html?x#y')).toBe('http://localhost:5173')
    expect(originOf('file:///home/ada/index.html')).toBeNull()
    expect(originOf('about:blank')).toBeNull()
    expect(originOf('not a url')).toBeNull()
    expect(originOf(undefined)).toBeNull()
  })
})

describe('isTrustedUrl', () => {
  const trusted = ['app://ioc', 'http://localhost:5173']

  it('accepts pages of a trusted origin, whatever the path', () => {
    expect(isTrustedUrl('app://ioc/index.html', trusted)).toBe(true)
    expect(isTrustedUrl('app://ioc/assets/editor.worker.js', trusted)).toBe(true)
    expect(isTrustedUrl('http://localhost:5173/', trusted)).toBe(true)
  })

  it('refuses look-alikes and other origins', () => {
    for (const url of [
      'app://ioc.evil/index.html',
      'app://evil/ioc',
      'https://localhost:5173/',
      'http://localhost:5174/',
      'http://localhost/',
      'https://example.org/?app://ioc',
      'file:///app/ioc/index.html',
      '',
      undefined,
    ]) {
      expect(isTrustedUrl(url, trusted), String(url)).toBe(false)
    }
    expect(isTrustedUrl('app://ioc/index.html', [])).toBe(false)
  })
})
