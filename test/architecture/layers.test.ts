import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkFile, checkTree, importsOf } from './layers'

const ROOT = resolve(import.meta.dirname, '../..')
const FIXTURE = resolve(ROOT, 'test/fixtures/architecture')

describe('layering', () => {
  it('holds for the whole source tree', () => {
    expect(checkTree(ROOT)).toEqual([])
  })

  it('bites: the fixture tree breaks each rule once and each break is reported', () => {
    const rules = checkTree(FIXTURE).map((v) => `${v.file}: ${v.rule}`)
    expect(rules.sort()).toEqual(
      [
        "src-main/ca/server/leak.ts: only src-main/electron may import 'electron'",
        'src-main/ca/server/leak.ts: src-main/ca may not import src-main/ioc',
        'src-main/ioc/leak.ts: src-main/ioc may not import src-main/backend',
        'src-shared/model/leak.ts: src-shared is environment-free: no Node, DOM, React or app packages',
        'src-shared/model/leak.ts: src-shared is environment-free: no Node, DOM, React or app packages',
        'src-shared/model/leak.ts: src-shared may not import src-main/ca',
      ].sort(),
    )
  })

  it('finds every import form', () => {
    const source = [
      "import a from 'a'",
      "import { b } from 'b'",
      "import type { C } from 'c'",
      "import 'd'",
      "export * from 'e'",
      "const f = await import('f')",
      "const g = require('g')",
      'import {\n  h,\n} from "h"',
    ].join('\n')
    expect(importsOf(source)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
  })

  it('allows downward imports and the @shared alias', () => {
    expect(checkFile(ROOT, 'src-main/ioc/x.ts', "import { y } from '../ca/wire/y'")).toEqual([])
    expect(checkFile(ROOT, 'src-renderer/x.ts', "import { api } from '@shared/api/contract'")).toEqual([])
    expect(checkFile(ROOT, 'src-main/electron/x.ts', "import { app } from 'electron'")).toEqual([])
  })
})
