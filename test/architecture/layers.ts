import { readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'

/**
 * The layering rules of architecture.md, as data. A module's layer is the folder it lives in; imports point
 * downward only. `allowed` lists the layers a layer may import from (itself always allowed).
 */
const LAYERS: Record<string, readonly string[]> = {
  'src-shared': [],
  'src-main/ca': ['src-shared'],
  'src-main/ioc': ['src-main/ca', 'src-shared'],
  'src-main/python': ['src-main/ioc', 'src-main/ca', 'src-shared'],
  'src-main/backend': ['src-main/python', 'src-main/ioc', 'src-main/ca', 'src-shared'],
  'src-main/cli': ['src-main/backend', 'src-main/python', 'src-main/ioc', 'src-main/ca', 'src-shared'],
  'src-main/electron': ['src-main/backend', 'src-main/python', 'src-main/ioc', 'src-main/ca', 'src-shared'],
  'src-renderer': ['src-shared'],
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))
/** Packages that tie code to one environment: `src-shared` may import none of them. */
const ENVIRONMENT_PACKAGES = ['electron', 'react', 'react-dom', 'zustand', 'monaco-editor', 'ws', 'pyodide']

export interface Violation {
  readonly file: string
  readonly specifier: string
  readonly rule: string
}

const IMPORT_PATTERN =
  /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s+['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]/gm

export function importsOf(source: string): string[] {
  const found: string[] = []
  for (const match of source.matchAll(IMPORT_PATTERN)) {
    found.push(match[1] ?? match[2] ?? match[3] ?? match[4])
  }
  return found
}

function layerOf(pathFromRoot: string): string | undefined {
  const normalized = pathFromRoot.split(sep).join('/')
  return Object.keys(LAYERS)
    .filter((layer) => normalized === layer || normalized.startsWith(`${layer}/`))
    .sort((a, b) => b.length - a.length)[0]
}

function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** Checks one file (path relative to `root`) and returns every rule it breaks. */
export function checkFile(root: string, file: string, source: string): Violation[] {
  const layer = layerOf(file)
  if (!layer) return []
  const violations: Violation[] = []
  for (const specifier of importsOf(source)) {
    const pkg = packageName(specifier)
    if (pkg === 'electron' && layer !== 'src-main/electron') {
      violations.push({ file, specifier, rule: "only src-main/electron may import 'electron'" })
      continue
    }
    if (layer === 'src-shared' && (NODE_BUILTINS.has(specifier) || ENVIRONMENT_PACKAGES.includes(pkg))) {
      violations.push({
        file,
        specifier,
        rule: 'src-shared is environment-free: no Node, DOM, React or app packages',
      })
      continue
    }
    let target: string | undefined
    if (specifier.startsWith('.')) target = relative(root, resolve(root, dirname(file), specifier))
    else if (specifier.startsWith('@shared/')) target = 'src-shared'
    if (target === undefined) continue
    const targetLayer = layerOf(target)
    if (!targetLayer || targetLayer === layer) continue
    if (!LAYERS[layer].includes(targetLayer)) {
      violations.push({ file, specifier, rule: `${layer} may not import ${targetLayer}` })
    }
  }
  return violations
}

function sourceFiles(root: string, dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) sourceFiles(root, path, out)
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(name)) out.push(path)
  }
  return out
}

export function checkTree(root: string): Violation[] {
  const roots = ['src-main', 'src-renderer', 'src-shared'].filter((d) => {
    try {
      return statSync(join(root, d)).isDirectory()
    } catch {
      return false
    }
  })
  return roots
    .flatMap((d) => sourceFiles(root, d))
    .flatMap((file) => checkFile(root, file, readFileSync(join(root, file), 'utf8')))
}
