/**
 * Starting points: the body a new hook gets (the signature is the exporter's, shown above the editor) and
 * snippets offered while typing. Snippet text uses Monaco's syntax ($1, ${1:default}, $0).
 */
import type { CodePart, PvHookKind } from '../../state/workbench'

export const HOOK_TEMPLATES: Readonly<Record<PvHookKind, string>> = {
  putter:
    '# Runs on every put (and on writes from code).\n' +
    '# Return a value to store instead; raise SkipWrite to keep the old one.\n' +
    'return value\n',
  getter:
    '# Runs on every read; a returned value is written first, None serves the stored one.\n' +
    'return None\n',
  startup:
    '# Runs once when the IOC starts, as a task of its own: loops are fine here.\n' +
    'while True:\n' +
    '    await async_lib.sleep(1.0)\n',
  scan: '# Runs every period.\nawait instance.write(instance.value + 1)\n',
  shutdown: '# Runs when the IOC stops.\npass\n',
}

export const HOOK_SIGNATURES: Readonly<Record<PvHookKind | 'ainit', string>> = {
  putter: '(self, instance, value)',
  getter: '(self, instance)',
  startup: '(self, instance, async_lib)',
  shutdown: '(self, instance, async_lib)',
  scan: '(self, instance, async_lib)',
  ainit: '(self, async_lib)',
}

export interface Snippet {
  readonly label: string
  readonly detail: string
  readonly body: string
}

const SLEEP: Snippet = {
  label: 'sleep',
  detail: 'Wait without blocking the server',
  body: 'await async_lib.sleep(${1:1.0})',
}

/** Snippets offered in each kind of code. */
export const SNIPPETS: Readonly<Record<PvHookKind | CodePart, readonly Snippet[]>> = {
  putter: [
    {
      label: 'copy to readback',
      detail: 'Write the new value to another PV',
      body: 'await self.${1:readback}.write(value)\nreturn value',
    },
    {
      label: 'refuse out of range',
      detail: 'Fail the put (the client sees an error)',
      body: "if not ${1:0} <= value <= ${2:100}:\n    raise ValueError(f'{value} is outside ${1:0}..${2:100}')\nreturn value",
    },
    {
      label: 'skip write',
      detail: 'Keep the old value, post nothing',
      body: 'if ${1:value == instance.value}:\n    raise SkipWrite',
    },
    {
      label: 'write self without putter',
      detail: 'Write this PV from its own putter',
      body: 'await instance.write(${1:value}, verify_value=False)',
    },
    {
      label: 'queue put',
      detail: 'Hand the put to a worker through a ThreadsafeQueue',
      body: "await self.${1:put_queue}.async_put({'pv': instance.pvname, 'value': value})",
    },
  ],
  getter: [
    {
      label: 'computed value',
      detail: 'Serve a computed value',
      body: 'return ${1:self.readback.value * 2}',
    },
  ],
  startup: [
    {
      label: 'queue loop',
      detail: 'Create a ThreadsafeQueue and serve its entries (caproto-sandbox pattern)',
      body:
        'self.${1:put_queue} = async_lib.ThreadsafeQueue()\n' +
        'while True:\n' +
        '    entry = await self.${1:put_queue}.async_get()\n' +
        "    ${0:await self.readback.write(entry['value'])}",
    },
    SLEEP,
  ],
  scan: [
    {
      label: 'step',
      detail: 'Move the value by a step each period',
      body: 'await instance.write(instance.value + ${1:1})',
    },
    {
      label: 'follow setpoint',
      detail: 'Move a readback towards its setpoint',
      body: 'target = self.${1:setpoint}.value\nawait instance.write(instance.value + (target - instance.value) * ${2:0.1})',
    },
  ],
  shutdown: [SLEEP],
  imports: [{ label: 'import', detail: 'A standard-library import', body: 'import ${1:math}' }],
  helpers: (['putter', 'getter', 'startup', 'scan', 'shutdown'] as const).map((kind) => ({
    label: `${kind} hook`,
    detail: `A decorated ${kind} with caproto's signature`,
    body:
      (kind === 'scan' ? '@${1:pv}.scan(period=${2:1.0})\n' : `@\${1:pv}.${kind}\n`) +
      `async def \${1:pv}${HOOK_SIGNATURES[kind]}:\n    \${0:pass}`,
  })),
  ainit: [SLEEP],
}
