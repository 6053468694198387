import { expect, it } from 'vitest'
import { hookSnippet } from './snippets'

const pv = { name: 'temp:sp', type: 'DOUBLE' } as const

it('a putter mirroring into a readback writes it with verify_value=False', () => {
  expect(hookSnippet('putter', pv, { readback: 'temp_rbv' })).toBe(
    [
      '# Runs on every put. Return a value to store instead of `value`; raise SkipWrite to keep the old one.',
      'await self.temp_rbv.write(value, verify_value=False)',
      'return value',
    ].join('\n'),
  )
})

it('a startup hook creates its queue inside the hook, named after the PV attribute', () => {
  expect(hookSnippet('startup', pv)).toContain('self.temp_sp_queue = async_lib.ThreadsafeQueue()\n')
})

it('every kind has a body', () => {
  for (const kind of ['putter', 'getter', 'startup', 'shutdown', 'scan'] as const) {
    expect(hookSnippet(kind, pv).trim()).not.toBe('')
  }
})
