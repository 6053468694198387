/**
 * The corpus is ordinary caproto: every fixture must be valid CPython, so it also runs under real caproto.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { SYSTEM_PYTHON } from '../support/system'

const FIXTURES = resolve(import.meta.dirname, '../fixtures/caproto')
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.py'))
const cache = mkdtempSync(join(tmpdir(), 'py-compile-'))

afterAll(() => rmSync(cache, { recursive: true, force: true }))

describe('the caproto fixture corpus', () => {
  it('has the scripts the issue asks for', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining([
        'simple_server.py',
        'motor.py',
        'random_walk.py',
        'temperature_controller.py',
        'enums_and_bools.py',
        'arrays.py',
        'strings.py',
        'skip_write.py',
        'putter_raises.py',
        'hanging_hook.py',
        'subgroups.py',
        'macros.py',
        'startup_shutdown.py',
      ]),
    )
  })

  it.each(fixtures)('%s compiles under CPython', async (name) => {
    // py_compile exits non-zero with the SyntaxError on stderr; the bytecode goes to a scratch directory.
    await promisify(execFile)(SYSTEM_PYTHON, ['-m', 'py_compile', join(FIXTURES, name)], {
      env: { PYTHONPYCACHEPREFIX: cache, PATH: process.env.PATH },
    })
  })
})
