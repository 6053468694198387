/**
 * The offline packaging check. The Electron zip cannot be downloaded here, so electron-builder packs the app
 * (`--linux dir`, release configuration) around a stand-in Electron: a tiny executable that carries a fuse
 * wire in Electron's format, so the release fuses are really flipped and can be read back. Then it lists
 * app.asar: the built output is in (with the caproto shim's Python sources), renderer libraries (bundled by
 * Vite) are not, Pyodide is unpacked as real files. Needs out/: built here with electron-vite when missing (`npm test` builds first anyway).
 */
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { extractFile, listPackage } from '@electron/asar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const BUILT = ['out/main/index.js', 'out/preload/preload.cjs', 'out/renderer/index.html']
/** The caproto shim: Python that Pyodide imports, copied beside the main bundle by electron.vite.config.ts. */
const SHIM = 'out/main/shim'
const SHIM_MODULES = ['caproto/__init__.py', 'caproto/server/__init__.py', '_iocstudio/__init__.py']

/** Where @electron/fuses finds the fuse wire: the sentinel, then version 1, then one byte per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const FUSES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const
/** Electron's own defaults, '1' on and '0' off, as a fresh Electron binary carries them. */
const ELECTRON_DEFAULT_WIRE = '10110001'

/** Packages Vite bundles into out/renderer: a copy in node_modules would only bloat the installer. */
const RENDERER_LIBRARIES = [
  'react',
  'react-dom',
  'scheduler',
  'zustand',
  'monaco-editor',
  '@monaco-editor/react',
  '@monaco-editor/loader',
  'uplot',
  '@tanstack/react-virtual',
]

let work: string
let appDir: string
let entries: string[]

function ensureBuilt(): void {
  const wanted = [...BUILT, ...SHIM_MODULES.map((module) => `${SHIM}/${module}`)]
  if (wanted.every((file) => existsSync(join(root, file)))) return
  execFileSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'inherit', timeout: 120_000 })
}

function fakeElectron(dir: string): void {
  mkdirSync(dir)
  const executable = Buffer.concat([
    Buffer.from('#!/bin/sh\n# stand-in for the Electron binary, with its fuse wire\nexit 0\n'),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, FUSES.length]),
    Buffer.from(ELECTRON_DEFAULT_WIRE),
    Buffer.from('\n'),
  ])
  writeFileSync(join(dir, 'electron'), executable)
  chmodSync(join(dir, 'electron'), 0o755)
  writeFileSync(join(dir, 'version'), 'v45.5.0')
}

function readFuses(executable: string): Record<string, boolean> {
  const binary = readFileSync(executable)
  const at = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length
  expect(at).toBeGreaterThanOrEqual(FUSE_SENTINEL.length)
  expect(binary[at]).toBe(1)
  return Object.fromEntries(FUSES.map((name, i) => [name, binary[at + 2 + i] === '1'.charCodeAt(0)]))
}

function sizeOf(path: string): number {
  return statSync(path).size
}

function folderSize(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((total, entry) => total + sizeOf(join(entry.parentPath, entry.name)), 0)
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** The packages `dependencies` pulls in, transitively: what electron-builder may copy into the asar. */
function productionClosure(): Set<string> {
  const seen = new Set<string>()
  const queue = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {})
  while (queue.length > 0) {
    const name = queue.pop()!
    if (seen.has(name)) continue
    seen.add(name)
    const manifest = join(root, 'node_modules', name, 'package.json')
    if (!existsSync(manifest)) continue // an optional peer that is not installed
    const { dependencies = {}, optionalDependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8'))
    queue.push(...Object.keys(dependencies), ...Object.keys(optionalDependencies))
  }
  return seen
}

beforeAll(() => {
  ensureBuilt()
  work = mkdtempSync(join(tmpdir(), 'ioc-packaging-'))
  fakeElectron(join(work, 'electron'))
  execFileSync(
    bin('electron-builder'),
    [
      '--linux',
      'dir',
      '--config',
      'electron-builder.release.yml',
      `-c.electronDist=${join(work, 'electron')}`,
      `-c.directories.output=${join(work, 'dist')}`,
      '--publish',
      'never',
    ],
    { cwd: root, stdio: 'pipe', timeout: 120_000 },
  )
  appDir = join(work, 'dist', 'linux-unpacked')
  entries = listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false }).map((e) =>
    e.replaceAll('\\', '/'),
  )
}, 180_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('packaged app (electron-builder --linux dir, release config)', () => {
  it('contains the built main process, preload and renderer', () => {
    for (const file of BUILT) expect(entries).toContain(`/${file}`)
    const manifest = JSON.parse(extractFile(join(appDir, 'resources', 'app.asar'), 'package.json').toString())
    expect(entries).toContain(`/${manifest.main}`)
  })

  it("ships the caproto shim's Python sources in app.asar, where the Python host reads them", () => {
    for (const module of SHIM_MODULES) expect(entries).toContain(`/${SHIM}/${module}`)
    const built = readdirSync(join(root, SHIM), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${relative(root, join(entry.parentPath, entry.name)).replaceAll('\\', '/')}`)
    expect(built.filter((file) => file.endsWith('.py')).length).toBeGreaterThan(SHIM_MODULES.length)
    expect(built.filter((file) => !entries.includes(file))).toEqual([])
    expect(entries.filter((e) => e.startsWith(`/${SHIM}/`) && e.includes('__pycache__'))).toEqual([])
  })

  it('has a preload that runs sandboxed: CommonJS that requires nothing but electron', () => {
    const preload = readFileSync(join(root, 'out/preload/preload.cjs'), 'utf8')
    expect([...preload.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])).toEqual([
      'electron',
    ])
    expect(preload).not.toMatch(/^\s*(import|export)\s/m)
    expect(preload).toContain('exposeInMainWorld')
  })

  it('holds only out/, package.json and production node_modules: no sources, tests or source maps', () => {
    const stray = entries.filter((e) => !/^\/(out|node_modules)(\/|$)|^\/package\.json$/.test(e))
    expect(stray).toEqual([])
    expect(entries.filter((e) => e.endsWith('.map'))).toEqual([])
  })

  it('does not ship the node_modules of renderer libraries', () => {
    for (const library of RENDERER_LIBRARIES) {
      expect(entries.filter((e) => e.startsWith(`/node_modules/${library}/`))).toEqual([])
    }
    const packages = entries.flatMap((e) => /^\/node_modules\/((?:@[^/]+\/)?[^/@][^/]*)$/.exec(e)?.[1] ?? [])
    const allowed = productionClosure()
    expect(packages.filter((p) => !allowed.has(p))).toEqual([])
    expect(packages).toEqual(expect.arrayContaining(['pyodide', 'ws']))
  })

  it('unpacks Pyodide so it can open its WebAssembly and standard library by path', () => {
    const unpacked = join(appDir, 'resources', 'app.asar.unpacked', 'node_modules', 'pyodide')
    for (const file of ['pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide.mjs', 'package.json']) {
      expect(existsSync(join(unpacked, file)), file).toBe(true)
    }
    expect(sizeOf(join(unpacked, 'pyodide.asm.wasm'))).toBeGreaterThan(1_000_000)
  })

  it('puts the icon and example projects beside app.asar', () => {
    expect(sizeOf(join(appDir, 'resources', 'icon.png'))).toBeGreaterThan(10_000)
    if (existsSync(join(root, 'resources', 'examples'))) {
      expect(existsSync(join(appDir, 'resources', 'examples'))).toBe(true)
    }
    expect(existsSync(join(appDir, 'ioc-studio'))).toBe(true)
  })

  it('has app icons of the sizes the installers need', () => {
    // PNG: 8-byte signature, then the IHDR chunk with width and height as big-endian 32-bit integers.
    const dimensions = (file: string) => {
      const png = readFileSync(join(root, file))
      return [png.readUInt32BE(16), png.readUInt32BE(20)]
    }
    expect(dimensions('resources/icon.png')).toEqual([512, 512])
    expect(dimensions('resources/build/icon.png')).toEqual([1024, 1024])
  })

  it('flips the release fuses in the Electron binary', () => {
    expect(readFuses(join(appDir, 'ioc-studio'))).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it('reports its size', () => {
    const asar = sizeOf(join(appDir, 'resources', 'app.asar'))
    const unpacked = folderSize(join(appDir, 'resources', 'app.asar.unpacked'))
    console.log(
      `[packaging] app.asar ${mb(asar)} (${entries.length} entries), app.asar.unpacked ${mb(unpacked)}, ` +
        `out/renderer ${mb(folderSize(join(root, 'out', 'renderer')))}`,
    )
    // The renderer bundle is ~5 MB minified; 133 MB is what shipping Monaco's node_modules cost (stack-notes).
    expect(asar).toBeLessThan(40 * 1024 * 1024)
  })
})
