import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PythonRuntime } from '../runtime'
import { checkSyntax, readScript } from './python-tools'
import type { ClassMember, ModuleItem, ScriptClass, ScriptDescription } from './script-description'

let runtime: PythonRuntime
beforeAll(async () => {
  runtime = new PythonRuntime({ log: () => {} })
  await runtime.ready
})
afterAll(() => runtime.dispose())

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/caproto/${name}`, import.meta.url), 'utf8')

async function describeScript(source: string): Promise<ScriptDescription> {
  const described = await readScript(runtime, source, 'script.py')
  if ('syntaxError' in described) throw new Error(described.syntaxError.message)
  return described
}

function classOf(description: ScriptDescription, name: string): ScriptClass {
  const item = description.items.find(
    (i): i is Extract<ModuleItem, { kind: 'class' }> => i.kind === 'class' && i.class.name === name,
  )
  if (!item) throw new Error(`no class ${name}`)
  return item.class
}

function member<K extends ClassMember['kind']>(
  cls: ScriptClass,
  kind: K,
  test: (m: Extract<ClassMember, { kind: K }>) => boolean = () => true,
) {
  const found = cls.members.find(
    (m): m is Extract<ClassMember, { kind: K }> => m.kind === kind && test(m as never),
  )
  if (!found) throw new Error(`no ${kind} member`)
  return found
}

describe('readScript', () => {
  it('describes the seed script: imports, pvproperties with literal arguments, hooks with bodies, __main__', async () => {
    const script = await describeScript(fixture('simple_server.py'))
    expect(script.doc).toMatch(/^The seed pattern/)
    expect(script.items.map((item) => item.kind)).toEqual(['import', 'class', 'main'])
    expect(script.items[0]).toMatchObject({
      module: 'caproto.server',
      names: ['PVGroup', 'ioc_arg_parser', 'pvproperty', 'run'],
    })

    const ioc = classOf(script, 'SimpleIOC')
    expect(ioc.bases).toEqual(['PVGroup'])
    const rbv = member(ioc, 'pv', (m) => m.attr === 'rbv')
    expect(rbv.function).toBe('pvproperty')
    expect(rbv.keywords).toEqual({
      value: { source: '0.0', value: 0, pyType: 'float' },
      read_only: { source: 'True', value: true, pyType: 'bool' },
      precision: { source: '3', value: 3, pyType: 'int' },
      units: { source: "'mm'", value: 'mm', pyType: 'str' },
      doc: { source: "'read-back value'", value: 'read-back value', pyType: 'str' },
    })
    const getter = member(ioc, 'hook', (m) => m.hook === 'getter')
    expect(getter).toMatchObject({ target: 'val', name: 'val', isAsync: true, params: ['self', 'instance'] })
    expect(getter.body).toBe('# Returning None serves the stored value.\nreturn None\n')
    const startup = member(ioc, 'hook', (m) => m.hook === 'startup')
    expect(startup.body.split('\n').slice(0, 2)).toEqual([
      'await self.running.write(1)',
      'self.put_queue = async_lib.ThreadsafeQueue()',
    ])
    expect(startup.body).toContain('\n    entry = await self.put_queue.async_get()\n')

    const main = script.items[2]
    if (main.kind !== 'main') throw new Error('no main')
    expect(main.main.statements.map((s) => s.call?.function)).toEqual(['ioc_arg_parser', 'SimpleIOC', 'run'])
    expect(main.main.statements[0].call?.keywords.default_prefix.value).toBe('simple:')
  })

  it('gives names, dotted names, non-finite floats and dict() macros as values or refs', async () => {
    const script = await describeScript(`
import math
from caproto import ChannelType
class Ioc(PVGroup):
    a = pvproperty(value=1.5, dtype=ChannelType.FLOAT, upper_alarm_limit=float('inf'), lower_alarm_limit=-math.inf)
    b = pvproperty(value=[1, 2, 3], dtype=int, name=NAME)
if __name__ == '__main__':
    ioc_options, run_options = ioc_arg_parser(default_prefix='x:', desc='d', macros=dict(beamline=None, suffix='m'))
`)
    const ioc = classOf(script, 'Ioc')
    const a = member(ioc, 'pv', (m) => m.attr === 'a')
    expect(a.keywords.dtype).toEqual({ source: 'ChannelType.FLOAT', ref: 'ChannelType.FLOAT' })
    expect(a.keywords.upper_alarm_limit.value).toBe(Infinity)
    expect(a.keywords.lower_alarm_limit.value).toBe(-Infinity)
    const b = member(ioc, 'pv', (m) => m.attr === 'b')
    expect(b.keywords.value.value).toEqual([1, 2, 3])
    expect(b.keywords.dtype).toEqual({ source: 'int', ref: 'int' })
    expect(b.keywords.name).toEqual({ source: 'NAME', ref: 'NAME' })
    const main = script.items.find((i) => i.kind === 'main')
    if (main?.kind !== 'main') throw new Error('no main')
    expect(main.main.statements[0].call?.keywords.macros.value).toEqual({ beamline: undefined, suffix: 'm' })
  })

  it('keeps comments: inside bodies, above items, and at the end of a class', async () => {
    const script = await describeScript(`
class Ioc(PVGroup):
    # the set point
    x = pvproperty(value=1)

    @x.putter
    async def x(self,
                instance, value):
        # first

        y = value  # inline
        return y
        # last, still in the body

    def helper(self): return 2
    # the end
`)
    const ioc = classOf(script, 'Ioc')
    expect(member(ioc, 'pv').comments).toEqual(['# the set point'])
    expect(member(ioc, 'hook').body).toBe(
      '# first\n\ny = value  # inline\nreturn y\n# last, still in the body\n',
    )
    expect(member(ioc, 'code').code).toBe('def helper(self): return 2\n')
    expect(ioc.trailingComments).toEqual(['# the end'])
  })

  it('recognises SubGroups (by class and decorated), autosaved(), __ainit__, pairs as plain code', async () => {
    const ioc = classOf(await describeScript(fixture('subgroups.py')), 'Supply')
    expect(member(ioc, 'subgroup', (m) => m.attr === 'ch2').keywords).toMatchObject({
      prefix: { value: 'ch2:' },
      gain: { value: 2 },
    })
    expect(member(ioc, 'subgroup', (m) => m.attr === 'ch2').positional[0].ref).toBe('Channel')
    const status = member(ioc, 'subgroup-class')
    expect(status.keywords.prefix.value).toBe('status:')
    expect(status.class.members.map((m) => m.kind)).toEqual(['pv'])
    expect(member(ioc, 'code', (m) => m.attr === 'int_pair').call?.function).toBe('pair')
    expect(member(ioc, 'code', (m) => m.code.startsWith('@float_pair.setpoint.putter')).code).toContain(
      'obj.readback',
    )

    const other = classOf(
      await describeScript(`
class Ioc(PVGroup):
    t = autosaved(pvproperty(value=2.0))
    async def __ainit__(self, async_lib):
        self.ready = True
`),
      'Ioc',
    )
    expect(member(other, 'pv')).toMatchObject({
      attr: 't',
      autosave: true,
      keywords: { value: { value: 2 } },
    })
    expect(member(other, 'ainit').body).toBe('self.ready = True\n')
  })

  it('reports a syntax error instead of a description, and never runs the script', async () => {
    expect(await readScript(runtime, 'class Ioc(PVGroup:\n    pass\n', 'broken.py')).toEqual({
      syntaxError: { line: 1, column: 18, message: 'invalid syntax' },
    })
    const script = await describeScript("raise SystemExit('ran')\nimport os\nos._exit(3)\n")
    expect(script.items.map((item) => item.kind)).toEqual(['code', 'import', 'code'])
  })
})

describe('checkSyntax', () => {
  it('is Python compile(): clean code passes, the first error comes with line and column', async () => {
    expect(await checkSyntax(runtime, fixture('motor.py'), 'motor.py')).toEqual([])
    expect(await checkSyntax(runtime, 'x = 1\nif x\n    pass\n', 'a.py')).toEqual([
      { line: 2, column: 5, message: "expected ':'" },
    ])
    // compile() catches what the parser alone does not.
    expect(await checkSyntax(runtime, 'def f():\n    nonlocal y\n', 'b.py')).toEqual([
      { line: 2, column: 5, message: "no binding for nonlocal 'y' found" },
    ])
    expect(await checkSyntax(runtime, 'await x\n', 'c.py')).toEqual([
      { line: 1, column: 1, message: "'await' outside function" },
    ])
  })
})
