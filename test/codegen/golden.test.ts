/**
 * Golden exports: every fixture project in test/fixtures/projects exports to exactly its `.py` beside it, and
 * each golden is checked by CPython: it compiles (`python3 -m py_compile`), and its syntax tree has every PV,
 * hook and group of the document and an IOC_STUDIO dict equal to the settings the exporter meant to write.
 *
 * After an intended change to the exporter: UPDATE_GOLDENS=1 npx vitest run test/codegen, then read the diff.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import { exportProjectJson } from '@shared/codegen/project-json'
import { ainitSnippet, hookSnippet } from '@shared/codegen/snippets'
import { studioSettingsOf } from '@shared/codegen/studio-settings'
import { checkProject } from '@shared/model/check'
import { attributeOf } from '@shared/model/names'
import { parseProjectText } from '@shared/model/parse'
import type { Project, PvDefinition, SubGroupDefinition } from '@shared/model/project'

const FIXTURES = join(import.meta.dirname, '../fixtures/projects')
const UPDATE = process.env.UPDATE_GOLDENS === '1'
const names = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.ioc.json'))
  .map((file) => file.slice(0, -'.ioc.json'.length))
  .sort()
const cache = mkdtempSync(join(tmpdir(), 'ioc-studio-pycache-'))
afterAll(() => rmSync(cache, { recursive: true, force: true }))

function load(name: string): Project {
  const result = parseProjectText(readFileSync(join(FIXTURES, `${name}.ioc.json`), 'utf8'))
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.errors)}`)
  return result.project
}

/** The same data with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reverseKeys(item)]),
  )
}

function python(args: string[], input?: string): string {
  return execFileSync('python3', args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, PYTHONPYCACHEPREFIX: cache, PYTHONDONTWRITEBYTECODE: '' },
    timeout: 30_000,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

it('has the fixture projects the brief asks for', () => {
  expect(names).toEqual([
    'beamline',
    'enums-and-bools',
    'long-strings',
    'motor',
    'scan-hooks',
    'simple-server',
    'temperature-controller',
    'waveforms',
  ])
})

describe.each(names)('%s', (name) => {
  it('loads without warnings and has no errors', () => {
    const result = parseProjectText(readFileSync(join(FIXTURES, `${name}.ioc.json`), 'utf8'))
    expect(result.ok && result.warnings).toEqual([])
    const errors = checkProject(load(name)).filter((problem) => problem.severity === 'error')
    expect(errors).toEqual([])
  })

  it('is saved in the canonical form (load then save gives the same bytes)', () => {
    expect(exportProjectJson(load(name))).toBe(readFileSync(join(FIXTURES, `${name}.ioc.json`), 'utf8'))
  })

  it('exports and saves the same text whatever the key order of its objects', () => {
    const reversed = reverseKeys(load(name)) as Project
    expect(exportCaprotoScript(reversed)).toBe(exportCaprotoScript(load(name)))
    expect(exportProjectJson(reversed)).toBe(readFileSync(join(FIXTURES, `${name}.ioc.json`), 'utf8'))
  })

  it('exports to its golden script', () => {
    const script = exportCaprotoScript(load(name))
    const golden = join(FIXTURES, `${name}.py`)
    if (UPDATE) writeFileSync(golden, script)
    expect(script).toBe(readFileSync(golden, 'utf8'))
  })
})

it('every golden compiles under CPython', () => {
  const files = names.map((name) => join(FIXTURES, `${name}.py`))
  expect(() => python(['-m', 'py_compile', ...files])).not.toThrow()
})

it('a project built from the starter snippets exports to code CPython compiles', () => {
  const rbv = { name: 'rbv', type: 'DOUBLE', readOnly: true } as const
  const sp = { name: 'sp', type: 'DOUBLE' } as const
  const project: Project = {
    formatVersion: 1,
    server: { name: 'Snippets', className: 'Snippets', prefix: 's:' },
    pvs: [
      rbv,
      {
        ...sp,
        hooks: {
          putter: hookSnippet('putter', sp, { readback: 'rbv' }),
          getter: hookSnippet('getter', sp),
          startup: hookSnippet('startup', sp),
          shutdown: hookSnippet('shutdown', sp),
          scan: { period: 1, body: hookSnippet('scan', sp) },
        },
      },
    ],
    code: { ainit: ainitSnippet() },
  }
  const file = join(cache, 'snippets.py')
  writeFileSync(file, exportCaprotoScript(project))
  expect(() => python(['-m', 'py_compile', file])).not.toThrow()
})

it('py_compile fails on broken code, so the check above can fail', () => {
  const broken = join(cache, 'broken.py')
  writeFileSync(broken, 'class X(PVGroup):\n    async def x(self):\n    pass\n')
  expect(() => python(['-m', 'py_compile', broken])).toThrow()
})

/** What CPython's parser sees in a script: classes with their pvproperties, SubGroups and hook decorators. */
const OUTLINE = `
import ast, json, sys
out = {}
for path in sys.argv[1:]:
    tree = ast.parse(open(path, encoding='utf-8').read(), path)
    classes, settings, main = {}, None, None
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            entry = {'pvs': [], 'groups': [], 'hooks': [], 'methods': []}
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Call) and isinstance(item.value.func, ast.Name):
                    target = item.targets[0].id
                    kwargs = {k.arg: ast.unparse(k.value) for k in item.value.keywords}
                    if item.value.func.id == 'pvproperty':
                        name = ast.literal_eval(item.value.keywords[0].value) if 'name' in kwargs else target
                        entry['pvs'].append([target, name])
                    elif item.value.func.id == 'SubGroup':
                        entry['groups'].append([target, ast.unparse(item.value.args[0])])
                elif isinstance(item, ast.AsyncFunctionDef):
                    for decorator in item.decorator_list:
                        text = ast.unparse(decorator)
                        entry['hooks'].append(text.split('(')[0] + ':' + item.name)
                    if not item.decorator_list:
                        entry['methods'].append(item.name)
            classes[node.name] = entry
        elif isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'IOC_STUDIO':
            settings = ast.literal_eval(node.value)
        elif isinstance(node, ast.If):
            main = ast.unparse(node.test)
    out[path] = {'classes': classes, 'settings': settings, 'main': main}
print(json.dumps(out))
`

interface Outline {
  readonly classes: Record<
    string,
    { pvs: [string, string][]; groups: [string, string][]; hooks: string[]; methods: string[] }
  >
  readonly settings: unknown
  readonly main: string | null
}

function expectedHooks(pvs: readonly PvDefinition[]): string[] {
  return pvs.flatMap((pv) => {
    const attr = attributeOf(pv)
    const hooks = pv.hooks ?? {}
    return (['startup', 'putter', 'getter', 'scan', 'shutdown'] as const)
      .filter((kind) => hooks[kind] !== undefined)
      .map((kind) => `${attr}.${kind}:${attr}`)
  })
}

function expectedClasses(project: Project): Outline['classes'] {
  const classes: Outline['classes'] = {}
  const add = (
    className: string,
    pvs: readonly PvDefinition[],
    groups: readonly SubGroupDefinition[] | undefined,
    ainit: boolean,
  ): void => {
    for (const group of groups ?? []) add(group.className, group.pvs, group.subGroups, false)
    classes[className] = {
      pvs: pvs.map((pv) => [attributeOf(pv), pv.name]),
      groups: (groups ?? []).map((group) => [group.attr, group.className]),
      hooks: expectedHooks(pvs),
      methods: ainit ? ['__ainit__'] : [],
    }
  }
  add(project.server.className, project.pvs, project.subGroups, (project.code?.ainit ?? '').trim() !== '')
  return classes
}

it("CPython's parser finds every PV, group and hook of the document, and the IOC Studio settings", () => {
  const files = names.map((name) => join(FIXTURES, `${name}.py`))
  const outlines = JSON.parse(python(['-c', OUTLINE, ...files])) as Record<string, Outline>
  for (const name of names) {
    const project = load(name)
    const outline = outlines[join(FIXTURES, `${name}.py`)]
    const classes = Object.fromEntries(
      Object.entries(outline.classes).map(([className, entry]) => [
        className,
        { ...entry, hooks: [...entry.hooks].sort() },
      ]),
    )
    const expected = Object.fromEntries(
      Object.entries(expectedClasses(project)).map(([className, entry]) => [
        className,
        { ...entry, hooks: [...entry.hooks].sort() },
      ]),
    )
    expect(classes, name).toEqual(expected)
    expect(outline.settings, name).toEqual(studioSettingsOf(project) ?? null)
    expect(outline.main, name).toBe("__name__ == '__main__'")
  }
})
