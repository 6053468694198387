/**
 * Starter bodies for new hooks, offered by the editor. They follow caproto's idioms: a putter that mirrors a
 * value into another PV writes with `verify_value=False` (no putter, no limit check: the value was checked on
 * its way in), and a startup hook creates its ThreadsafeQueue inside the running loop, as caproto requires.
 */
import { attributeOf } from '../model/names'
import type { PvDefinition } from '../model/project'

export type HookKind = 'putter' | 'getter' | 'startup' | 'shutdown' | 'scan'

export interface SnippetOptions {
  /** Attribute of a readback PV the putter mirrors each accepted value into. */
  readonly readback?: string
}

export function hookSnippet(kind: HookKind, pv: PvDefinition, options: SnippetOptions = {}): string {
  const attr = attributeOf(pv)
  switch (kind) {
    case 'putter':
      return [
        '# Runs on every put. Return a value to store instead of `value`; raise SkipWrite to keep the old one.',
        ...(options.readback
          ? [`await self.${options.readback}.write(value, verify_value=False)`]
          : ['# Writing a PV from here? Skip its putter: await self.other.write(v, verify_value=False)']),
        'return value',
      ].join('\n')
    case 'getter':
      return [
        '# Runs on every read; a value returned is written (through the putter) before the reply.',
        '# For values that change by themselves, a scan hook is cheaper.',
        'return None',
      ].join('\n')
    case 'startup':
      return [
        '# A task started with the IOC. The queue carries values from device code to this PV.',
        `self.${attr}_queue = async_lib.ThreadsafeQueue()`,
        'while True:',
        `    value = await self.${attr}_queue.async_get()`,
        '    await instance.write(value)',
      ].join('\n')
    case 'scan':
      return [
        '# Called every period: read the device, then publish.',
        'await instance.write(instance.value)',
      ].join('\n')
    case 'shutdown':
      return `print(f'{instance.pvname}: shutting down')`
  }
}

/** Starter body of the IOC's `__ainit__`. */
export function ainitSnippet(): string {
  return '# Runs once when the IOC starts, before the startup hooks.\nprint(f"{self.prefix} starting")'
}
