import { useMemo } from 'react'
import type { ReactNode } from 'react'
import { attributeOf, fullPvName } from '@shared/model/names'
import {
  DEFAULT_ALARM_SEVERITY,
  isFloatType,
  isNumericType,
  maxLengthOf,
  PV_TYPES,
  SEVERITIES,
} from '@shared/model/project'
import type {
  AlarmLimit,
  AlarmLimits,
  ControlLimits,
  DisplayLimits,
  InitialValue,
  Limit,
  PvDefinition,
  PvType,
  Severity,
} from '@shared/model/project'
import type { ListedProblem } from '../../state/problems'
import { editProject, useProject } from '../../state/project'
import {
  addressOfPath,
  compact,
  hookBody,
  updatePv,
  withField,
  withHookBody,
} from '../../state/project-edits'
import { locatePv, openTab } from '../../state/workbench'
import type { PvHookKind } from '../../state/workbench'
import { HOOK_TEMPLATES } from '../hooks/hook-templates'
import { problemsUnder, useProblems } from '../problems/use-problems'
import { deletePvs, duplicateSelected } from '../pvs/pv-commands'
import { CodeIcon, CopyIcon, PlusIcon, TrashIcon } from '../shell/icons'
import { Field, NumberInput } from './fields'
import { HOOK_HELP, PV_HELP } from './pv-help'
import { formatValue, parseValue } from './values'

type Edit = (label: string, recipe: (pv: PvDefinition) => PvDefinition, field: string) => void

const HOOK_KINDS: readonly PvHookKind[] = ['putter', 'getter', 'startup', 'scan', 'shutdown']

/** Every field of one PV, grouped as users think of them, with what each does over Channel Access. */
export function PvEditor({ pvId }: { pvId: string }) {
  const project = useProject()
  const problems = useProblems()
  const location = project ? locatePv(project, pvId) : undefined
  const pvProblems = useMemo(
    () => (location ? problemsUnder(problems, location.path) : []),
    [problems, location],
  )
  if (!project || !location) return <div className="panel-empty">This PV no longer exists.</div>
  const { pv, path } = location

  const edit: Edit = (label, recipe, field) =>
    editProject(
      `${label} of ${pv.name}`,
      (p) => {
        const at = locatePv(p, pvId)
        const address = at && addressOfPath(at.path)
        return address ? updatePv(p, address, recipe) : p
      },
      { coalesceKey: `${pvId}.${field}` },
    )
  const set = <K extends keyof PvDefinition>(key: K, value: PvDefinition[K] | undefined, label: string) =>
    edit(label, (p) => withField(p, key, value), String(key))
  const at = (field: string) =>
    pvProblems.filter(
      (p) =>
        p.path === `${path}.${field}` ||
        p.path.startsWith(`${path}.${field}[`) ||
        p.path.startsWith(`${path}.${field}.`),
    )
  const numeric = isNumericType(pv.type)

  return (
    <div className="form-view" aria-label={`PV ${pv.name}`} data-document-editor>
      <header className="form-header">
        <div>
          <h2 className="form-title">{pv.name || '(unnamed)'}</h2>
          <div className="form-subtitle">{fullPvName(project, location)}</div>
        </div>
        <div className="button-row">
          <button className="button small" onClick={() => duplicateSelected([pvId])}>
            <CopyIcon />
            Duplicate
          </button>
          <button className="button small danger" onClick={() => deletePvs([pvId])}>
            <TrashIcon />
            Delete
          </button>
        </div>
      </header>
      {pvProblems.some((p) => p.path === path) && (
        <div className="form-problem" role="alert">
          {pvProblems
            .filter((p) => p.path === path)
            .map((p) => p.message)
            .join(' · ')}
        </div>
      )}

      <Section title="Value and type">
        <Field label="Name" help={PV_HELP.name} problems={at('name')}>
          {(props) => (
            <input
              {...props}
              value={pv.name}
              spellCheck={false}
              onChange={(e) => set('name', e.target.value, 'Rename')}
            />
          )}
        </Field>
        <Field label="Type" help={PV_HELP.type} problems={at('type')}>
          {(props) => (
            <select
              {...props}
              value={pv.type}
              onChange={(e) => set('type', e.target.value as PvType, 'Change type')}
            >
              {PV_TYPES.map((type) => (
                <option key={type}>{type}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Max length" help={PV_HELP.maxLength} problems={at('maxLength')}>
          {(props) => (
            <NumberInput
              {...props}
              integer
              placeholder={String(maxLengthOf({ ...pv, maxLength: undefined }))}
              value={pv.maxLength}
              onCommit={(v) => set('maxLength', v, 'Change max length')}
            />
          )}
        </Field>
        <ValueField
          pv={pv}
          problems={at('value')}
          onChange={(value) => set('value', value, 'Change initial value')}
        />
        {pv.type === 'ENUM' && (
          <Field label="States" help={PV_HELP.enumStrings} problems={at('enumStrings')} wide>
            {(props) => (
              <textarea
                {...props}
                rows={Math.min(8, Math.max(3, (pv.enumStrings?.length ?? 0) + 1))}
                spellCheck={false}
                value={(pv.enumStrings ?? []).join('\n')}
                onChange={(e) =>
                  set(
                    'enumStrings',
                    e.target.value === '' ? undefined : e.target.value.split('\n'),
                    'Change states',
                  )
                }
              />
            )}
          </Field>
        )}
        <Field label="Python attribute" help={PV_HELP.attr} problems={at('attr')}>
          {(props) => (
            <input
              {...props}
              value={pv.attr ?? ''}
              placeholder={attributeOf({ ...pv, attr: undefined })}
              spellCheck={false}
              onChange={(e) => set('attr', e.target.value || undefined, 'Change attribute')}
            />
          )}
        </Field>
      </Section>

      <Section title="Display">
        <Field label="Description" help={PV_HELP.description} problems={at('description')} wide>
          {(props) => (
            <input
              {...props}
              value={pv.description ?? ''}
              onChange={(e) => set('description', e.target.value || undefined, 'Change description')}
            />
          )}
        </Field>
        {numeric && (
          <Field label="Units" help={PV_HELP.units} problems={at('units')}>
            {(props) => (
              <input
                {...props}
                value={pv.units ?? ''}
                spellCheck={false}
                onChange={(e) => set('units', e.target.value || undefined, 'Change units')}
              />
            )}
          </Field>
        )}
        {isFloatType(pv.type) && (
          <Field label="Precision" help={PV_HELP.precision} problems={at('precision')}>
            {(props) => (
              <NumberInput
                {...props}
                integer
                value={pv.precision}
                onCommit={(v) => set('precision', v, 'Change precision')}
              />
            )}
          </Field>
        )}
        {numeric && (
          <LimitPair
            title="Display limits"
            help={PV_HELP.displayLimits}
            names={['LOPR', 'HOPR']}
            limits={pv.displayLimits}
            problems={at('displayLimits')}
            onChange={(limits) =>
              set('displayLimits', limits as DisplayLimits | undefined, 'Change display limits')
            }
          />
        )}
      </Section>

      {numeric && (
        <Section title="Limits and alarms">
          <LimitPair
            title="Control limits"
            help={PV_HELP.controlLimits}
            names={['DRVL', 'DRVH']}
            limits={pv.controlLimits}
            problems={at('controlLimits')}
            onChange={(limits) =>
              set(
                'controlLimits',
                limits && (compact({ ...limits, mode: pv.controlLimits?.mode }) as ControlLimits | undefined),
                'Change control limits',
              )
            }
          />
          <Field label="Outside control limits" help={PV_HELP.controlMode}>
            {(props) => (
              <select
                {...props}
                value={pv.controlLimits?.mode ?? 'reject'}
                onChange={(e) =>
                  set(
                    'controlLimits',
                    compact(
                      withField(
                        pv.controlLimits ?? {},
                        'mode',
                        e.target.value === 'clamp' ? 'clamp' : undefined,
                      ),
                    ),
                    'Change control limit mode',
                  )
                }
              >
                <option value="reject">Reject the put</option>
                <option value="clamp">Clamp to the limit</option>
              </select>
            )}
          </Field>
          <AlarmLimitsEditor pv={pv} problems={at('alarmLimits')} edit={edit} />
        </Section>
      )}

      <Section title="Record fields">
        <Field label="Record type" help={PV_HELP.recordType} problems={at('recordType')}>
          {(props) => (
            <input
              {...props}
              value={pv.recordType ?? ''}
              placeholder="ai, ao, bo, mbbi…"
              spellCheck={false}
              onChange={(e) => set('recordType', e.target.value || undefined, 'Change record type')}
            />
          )}
        </Field>
        {numeric && (
          <>
            <Field
              label="Monitor deadband (MDEL)"
              help={PV_HELP.monitorDeadband}
              problems={at('monitorDeadband')}
            >
              {(props) => (
                <NumberInput
                  {...props}
                  value={pv.monitorDeadband}
                  onCommit={(v) => set('monitorDeadband', v, 'Change monitor deadband')}
                />
              )}
            </Field>
            <Field
              label="Archive deadband (ADEL)"
              help={PV_HELP.archiveDeadband}
              problems={at('archiveDeadband')}
            >
              {(props) => (
                <NumberInput
                  {...props}
                  value={pv.archiveDeadband}
                  onCommit={(v) => set('archiveDeadband', v, 'Change archive deadband')}
                />
              )}
            </Field>
          </>
        )}
      </Section>

      <Section title="Access">
        <Field label="Read-only" help={PV_HELP.readOnly} problems={at('readOnly')}>
          {(props) => (
            <input
              {...props}
              type="checkbox"
              checked={pv.readOnly === true}
              onChange={(e) => set('readOnly', e.target.checked || undefined, 'Change read-only')}
            />
          )}
        </Field>
        <Field label="Alarm group" help={PV_HELP.alarmGroup} problems={at('alarmGroup')}>
          {(props) => (
            <input
              {...props}
              value={pv.alarmGroup ?? ''}
              spellCheck={false}
              onChange={(e) => set('alarmGroup', e.target.value || undefined, 'Change alarm group')}
            />
          )}
        </Field>
        <Field label="Undefined until written" help={PV_HELP.udfSeverity} problems={at('udfSeverity')}>
          {(props) => (
            <select
              {...props}
              value={pv.udfSeverity ?? ''}
              onChange={(e) =>
                set('udfSeverity', (e.target.value || undefined) as Severity | undefined, 'Change UDF')
              }
            >
              <option value="">No (defined from the start)</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  UDF alarm, {s}
                </option>
              ))}
            </select>
          )}
        </Field>
      </Section>

      <Section title="Autosave">
        <Field label="Autosave" help={PV_HELP.autosave} problems={at('autosave')}>
          {(props) => (
            <input
              {...props}
              type="checkbox"
              checked={pv.autosave === true}
              onChange={(e) => set('autosave', e.target.checked || undefined, 'Change autosave')}
            />
          )}
        </Field>
      </Section>

      <Section title="Hooks">
        <p className="section-help">{PV_HELP.hooks}</p>
        <div className="hook-list">
          {HOOK_KINDS.map((kind) => (
            <HookRow key={kind} pv={pv} pvId={pvId} kind={kind} problems={at(`hooks.${kind}`)} edit={edit} />
          ))}
        </div>
      </Section>
    </div>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="form-section">
      <legend>{title}</legend>
      <div className="form-grid">{children}</div>
    </fieldset>
  )
}

function ValueField({
  pv,
  problems,
  onChange,
}: {
  pv: PvDefinition
  problems: readonly ListedProblem[]
  onChange: (value: InitialValue | undefined) => void
}) {
  if (pv.type === 'ENUM' && maxLengthOf(pv) === 1) {
    return (
      <Field label="Initial value" help={PV_HELP.value} problems={problems}>
        {(props) => (
          <select
            {...props}
            value={typeof pv.value === 'string' ? pv.value : ''}
            onChange={(e) => onChange(e.target.value || undefined)}
          >
            <option value="">(first state)</option>
            {(pv.enumStrings ?? []).map((state, index) => (
              <option key={`${index}:${state}`} value={state}>
                {state}
              </option>
            ))}
          </select>
        )}
      </Field>
    )
  }
  return (
    <Field label="Initial value" help={PV_HELP.value} problems={problems}>
      {(props) => <ValueInput {...props} pv={pv} onChange={onChange} />}
    </Field>
  )
}

/** Free text parsed by type: numbers for numeric types, comma-separated lists for arrays. */
function ValueInput({
  pv,
  onChange,
  ...props
}: {
  pv: PvDefinition
  onChange: (value: InitialValue | undefined) => void
  id: string
}) {
  return (
    <input
      {...props}
      spellCheck={false}
      defaultValue={formatValue(pv.value)}
      key={`${pv.type}:${maxLengthOf(pv)}:${formatValue(pv.value)}`}
      placeholder={isNumericType(pv.type) ? '0' : ''}
      onBlur={(e) => {
        const parsed = parseValue(e.target.value, pv)
        if (parsed !== null && formatValue(parsed) !== formatValue(pv.value)) onChange(parsed)
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur()
      }}
    />
  )
}

function LimitPair({
  title,
  help,
  names,
  limits,
  problems,
  onChange,
}: {
  title: string
  help: string
  names: readonly [string, string]
  limits: { readonly low?: Limit; readonly high?: Limit } | undefined
  problems: readonly ListedProblem[]
  onChange: (limits: { low?: Limit; high?: Limit } | undefined) => void
}) {
  const side = (key: 'low' | 'high', limit: Limit | undefined) =>
    onChange(compact({ low: limits?.low, high: limits?.high, [key]: limit }))
  return (
    <Field label={title} help={help} problems={problems} wide>
      {(props) => (
        <div className="limit-pair" role="group" aria-label={title} id={props.id}>
          {(['low', 'high'] as const).map((key, index) => (
            <LimitInput
              key={key}
              name={names[index]}
              limit={limits?.[key]}
              onChange={(limit) => side(key, limit)}
              label={`${title}: ${key} (${names[index]})`}
            />
          ))}
        </div>
      )}
    </Field>
  )
}

function LimitInput({
  name,
  limit,
  onChange,
  label,
}: {
  name: string
  limit: Limit | undefined
  onChange: (limit: Limit | undefined) => void
  label: string
}) {
  return (
    <span className="limit" data-enabled={limit?.enabled || undefined}>
      <label className="check">
        <input
          type="checkbox"
          checked={limit?.enabled === true}
          aria-label={`${label} enabled`}
          onChange={(e) => onChange({ enabled: e.target.checked, value: limit?.value ?? 0 })}
        />
        {name}
      </label>
      <NumberInput
        value={limit?.value}
        aria-label={label}
        onCommit={(value) =>
          onChange(value === undefined ? undefined : { enabled: limit?.enabled ?? true, value })
        }
      />
    </span>
  )
}

const ALARM_KEYS = ['lolo', 'low', 'high', 'hihi'] as const

function AlarmLimitsEditor({
  pv,
  problems,
  edit,
}: {
  pv: PvDefinition
  problems: readonly ListedProblem[]
  edit: Edit
}) {
  const limits = pv.alarmLimits
  const setAlarms = (next: AlarmLimits | undefined, label: string) =>
    edit(label, (p) => withField(p, 'alarmLimits', next && compact(next)), 'alarmLimits')
  const setLimit = (key: (typeof ALARM_KEYS)[number], limit: AlarmLimit | undefined) =>
    setAlarms(
      compact({ ...limits, [key]: limit }) as AlarmLimits | undefined,
      `Change ${key.toUpperCase()} limit`,
    )
  return (
    <>
      <Field
        label="Alarm limits"
        help={PV_HELP.alarmLimits}
        problems={problems.filter((p) => !p.path.endsWith('hysteresis'))}
        wide
      >
        {(props) => (
          <div className="alarm-limits" role="group" aria-label="Alarm limits" id={props.id}>
            {ALARM_KEYS.map((key) => {
              const limit = limits?.[key]
              return (
                <span className="limit" key={key} data-enabled={limit?.enabled || undefined}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={limit?.enabled === true}
                      aria-label={`${key.toUpperCase()} limit enabled`}
                      onChange={(e) =>
                        setLimit(key, { ...limit, enabled: e.target.checked, value: limit?.value ?? 0 })
                      }
                    />
                    {key.toUpperCase()}
                  </label>
                  <NumberInput
                    value={limit?.value}
                    aria-label={`${key.toUpperCase()} limit`}
                    onCommit={(value) =>
                      setLimit(
                        key,
                        value === undefined
                          ? undefined
                          : { ...limit, enabled: limit?.enabled ?? true, value },
                      )
                    }
                  />
                  <select
                    aria-label={`${key.toUpperCase()} severity`}
                    value={limit?.severity ?? DEFAULT_ALARM_SEVERITY[key]}
                    disabled={!limit}
                    onChange={(e) =>
                      limit &&
                      setLimit(
                        key,
                        withField(
                          limit,
                          'severity',
                          e.target.value === DEFAULT_ALARM_SEVERITY[key]
                            ? undefined
                            : (e.target.value as Severity),
                        ),
                      )
                    }
                  >
                    {SEVERITIES.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>
                </span>
              )
            })}
          </div>
        )}
      </Field>
      <Field
        label="Hysteresis (HYST)"
        help={PV_HELP.hysteresis}
        problems={problems.filter((p) => p.path.endsWith('hysteresis'))}
      >
        {(props) => (
          <NumberInput
            {...props}
            value={limits?.hysteresis}
            onCommit={(value) =>
              setAlarms(
                compact({ ...limits, hysteresis: value }) as AlarmLimits | undefined,
                'Change hysteresis',
              )
            }
          />
        )}
      </Field>
    </>
  )
}

function HookRow({
  pv,
  pvId,
  kind,
  problems,
  edit,
}: {
  pv: PvDefinition
  pvId: string
  kind: PvHookKind
  problems: readonly ListedProblem[]
  edit: Edit
}) {
  const body = hookBody(pv, kind)
  const firstLine = body?.split('\n').find((line) => line.trim() !== '' && !line.trim().startsWith('#'))
  return (
    <div className="hook-row" data-problem={problems.length > 0 ? problems[0].severity : undefined}>
      <div className="hook-row-text">
        <span className="hook-kind">{kind}</span>
        <span className="hook-help">
          {body === undefined ? HOOK_HELP[kind] : (firstLine?.trim() ?? '(empty)')}
        </span>
        {problems.length > 0 && <span className="field-problem">{problems[0].message}</span>}
      </div>
      {body === undefined ? (
        <button
          className="button small"
          aria-label={`Add a ${kind} hook`}
          onClick={() => {
            edit(`Add ${kind}`, (p) => withHookBody(p, kind, HOOK_TEMPLATES[kind]), `hooks.${kind}`)
            openTab({ kind: 'hook', pvId, hook: kind })
          }}
        >
          <PlusIcon />
          Add
        </button>
      ) : (
        <button
          className="button small"
          aria-label={`Edit the ${kind} hook`}
          onClick={() => openTab({ kind: 'hook', pvId, hook: kind })}
        >
          <CodeIcon />
          Edit
        </button>
      )}
    </div>
  )
}
