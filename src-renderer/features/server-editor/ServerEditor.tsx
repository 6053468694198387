import type { ReactNode } from 'react'
import type {
  AccessRuleDefinition,
  AccessSettings,
  MacroDefinition,
  Project,
  ServerSettings,
  SubGroupDefinition,
  VerbatimBlock,
} from '@shared/model/project'
import type { ListedProblem } from '../../state/problems'
import { editProject, useProject } from '../../state/project'
import { updateServer, withField } from '../../state/project-edits'
import { Field, NumberInput } from '../pv-editor/fields'
import { useProblems } from '../problems/use-problems'
import { PlusIcon, TrashIcon } from '../shell/icons'
import { SERVER_HELP } from './server-help'

const under = (problems: readonly ListedProblem[], path: string) =>
  problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`))

function editServer<K extends keyof ServerSettings>(
  key: K,
  value: ServerSettings[K] | undefined,
  label: string,
) {
  editProject(label, (p) => updateServer(p, (server) => withField(server, key, value)), {
    coalesceKey: `server.${key}`,
  })
}

function Section({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <fieldset className="form-section">
      <legend>{title}</legend>
      {help && <p className="section-help">{help}</p>}
      <div className="form-grid">{children}</div>
    </fieldset>
  )
}

/** The IOC as a whole: names, prefix and macros, network settings, sub-groups and access rules. */
export function ServerEditor() {
  const project = useProject()
  const problems = useProblems()
  if (!project) return null
  const { server } = project
  const at = (path: string) => under(problems, path)

  return (
    <div className="form-view" aria-label="Server settings" data-document-editor>
      <header className="form-header">
        <div>
          <h2 className="form-title">{server.name}</h2>
          <div className="form-subtitle">Server settings</div>
        </div>
      </header>
      <Section title="Identity">
        <Field label="Name" help={SERVER_HELP.name} problems={at('server.name')}>
          {(props) => (
            <input
              {...props}
              value={server.name}
              onChange={(e) => editServer('name', e.target.value, 'Rename the IOC')}
            />
          )}
        </Field>
        <Field label="Class name" help={SERVER_HELP.className} problems={at('server.className')}>
          {(props) => (
            <input
              {...props}
              value={server.className}
              spellCheck={false}
              onChange={(e) => editServer('className', e.target.value, 'Change class name')}
            />
          )}
        </Field>
        <Field label="Description" help={SERVER_HELP.description} problems={at('server.description')} wide>
          {(props) => (
            <input
              {...props}
              value={server.description ?? ''}
              onChange={(e) => editServer('description', e.target.value || undefined, 'Change description')}
            />
          )}
        </Field>
      </Section>

      <Section title="Names">
        <Field label="Prefix" help={SERVER_HELP.prefix} problems={at('server.prefix')}>
          {(props) => (
            <input
              {...props}
              value={server.prefix}
              spellCheck={false}
              onChange={(e) => editServer('prefix', e.target.value, 'Change prefix')}
            />
          )}
        </Field>
        <MacrosEditor macros={server.macros ?? []} problems={at('server.macros')} />
      </Section>

      <Section title="Network">
        <Field label="Interfaces" help={SERVER_HELP.interfaces} problems={at('server.interfaces')}>
          {(props) => (
            <input
              {...props}
              spellCheck={false}
              placeholder="all interfaces"
              value={(server.interfaces ?? []).join(' ')}
              onChange={(e) => {
                const list = e.target.value.split(/[\s,]+/).filter(Boolean)
                editServer('interfaces', list.length > 0 ? list : undefined, 'Change interfaces')
              }}
            />
          )}
        </Field>
        <Field label="Server port" help={SERVER_HELP.serverPort} problems={at('server.serverPort')}>
          {(props) => (
            <NumberInput
              {...props}
              integer
              placeholder="5064"
              value={server.serverPort}
              onCommit={(v) => editServer('serverPort', v, 'Change server port')}
            />
          )}
        </Field>
        <Field label="Beacon port" help={SERVER_HELP.beaconPort} problems={at('server.beaconPort')}>
          {(props) => (
            <NumberInput
              {...props}
              integer
              placeholder="5065"
              value={server.beaconPort}
              onCommit={(v) => editServer('beaconPort', v, 'Change beacon port')}
            />
          )}
        </Field>
        <Field
          label="Hook time limit (ms)"
          help={SERVER_HELP.hookTimeLimitMs}
          problems={at('server.hookTimeLimitMs')}
        >
          {(props) => (
            <NumberInput
              {...props}
              integer
              placeholder="2000"
              value={server.hookTimeLimitMs}
              onCommit={(v) => editServer('hookTimeLimitMs', v, 'Change hook time limit')}
            />
          )}
        </Field>
      </Section>

      <Section title="Sub-groups" help={SERVER_HELP.subGroups}>
        <SubGroupsEditor project={project} problems={at('subGroups')} />
      </Section>

      <Section title="Access rules" help={SERVER_HELP.access}>
        <AccessEditor access={project.access} problems={at('access')} />
      </Section>

      {(project.verbatim?.length ?? 0) > 0 && (
        <Section title="Code kept as written" help={SERVER_HELP.verbatim}>
          <VerbatimEditor blocks={project.verbatim ?? []} problems={at('verbatim')} />
        </Section>
      )}
    </div>
  )
}

function MacrosEditor({
  macros,
  problems,
}: {
  macros: readonly MacroDefinition[]
  problems: readonly ListedProblem[]
}) {
  const setMacros = (next: readonly MacroDefinition[], label: string, key = 'list') =>
    editProject(
      label,
      (p) => updateServer(p, (s) => withField(s, 'macros', next.length > 0 ? next : undefined)),
      {
        coalesceKey: `server.macros.${key}`,
      },
    )
  return (
    <Field label="Macros" help={SERVER_HELP.macros} problems={problems} wide>
      {(props) => (
        <div className="rows-editor" id={props.id}>
          {macros.map((macro, index) => (
            <div className="rows-editor-row" key={index}>
              <input
                aria-label={`Macro ${index + 1} name`}
                placeholder="name"
                spellCheck={false}
                value={macro.name}
                onChange={(e) =>
                  setMacros(
                    macros.map((m, i) => (i === index ? { ...m, name: e.target.value } : m)),
                    'Rename macro',
                    `${index}.name`,
                  )
                }
              />
              <input
                aria-label={`Macro ${index + 1} default`}
                placeholder="default (required when empty)"
                spellCheck={false}
                value={macro.default ?? ''}
                onChange={(e) =>
                  setMacros(
                    macros.map((m, i) =>
                      i === index ? withField(m, 'default', e.target.value || undefined) : m,
                    ),
                    'Change macro default',
                    `${index}.default`,
                  )
                }
              />
              <button
                className="icon-button"
                aria-label={`Remove macro ${macro.name}`}
                onClick={() =>
                  setMacros(
                    macros.filter((_, i) => i !== index),
                    'Remove macro',
                  )
                }
              >
                <TrashIcon />
              </button>
            </div>
          ))}
          <button
            className="button small"
            onClick={() => setMacros([...macros, { name: `macro${macros.length + 1}` }], 'Add macro')}
          >
            <PlusIcon />
            Add macro
          </button>
        </div>
      )}
    </Field>
  )
}

function SubGroupsEditor({ project, problems }: { project: Project; problems: readonly ListedProblem[] }) {
  const groups = project.subGroups ?? []
  const setGroups = (next: readonly SubGroupDefinition[], label: string, key = 'list') =>
    editProject(label, (p) => withField(p, 'subGroups', next.length > 0 ? next : undefined), {
      coalesceKey: `subGroups.${key}`,
    })
  const change = (index: number, patch: Partial<SubGroupDefinition>, label: string, key: string) =>
    setGroups(
      groups.map((g, i) => {
        if (i !== index) return g
        let next: SubGroupDefinition = g
        for (const [field, value] of Object.entries(patch)) {
          next = withField(
            next,
            field as keyof SubGroupDefinition,
            (value === '' ? undefined : value) as never,
          )
        }
        return next
      }),
      label,
      `${index}.${key}`,
    )
  return (
    <div className="rows-editor" data-wide>
      {groups.map((group, index) => (
        <div
          className="rows-editor-row"
          key={index}
          data-problem={under(problems, `subGroups[${index}]`)[0]?.severity}
        >
          <input
            aria-label={`Group ${index + 1} attribute`}
            placeholder="attribute"
            spellCheck={false}
            value={group.attr}
            onChange={(e) => change(index, { attr: e.target.value }, 'Rename group', 'attr')}
          />
          <input
            aria-label={`Group ${index + 1} class`}
            placeholder="ClassName"
            spellCheck={false}
            value={group.className}
            onChange={(e) => change(index, { className: e.target.value }, 'Change group class', 'className')}
          />
          <input
            aria-label={`Group ${index + 1} prefix`}
            placeholder={`${group.attr}:`}
            spellCheck={false}
            value={group.prefix ?? ''}
            onChange={(e) => change(index, { prefix: e.target.value }, 'Change group prefix', 'prefix')}
          />
          <input
            aria-label={`Group ${index + 1} description`}
            placeholder="description"
            value={group.description ?? ''}
            onChange={(e) =>
              change(index, { description: e.target.value }, 'Change group description', 'description')
            }
          />
          <span className="rows-editor-note">
            {group.pvs.length} PV{group.pvs.length === 1 ? '' : 's'}
            {group.subGroups?.length ? `, ${group.subGroups.length} nested` : ''}
          </span>
          <button
            className="icon-button"
            aria-label={`Remove group ${group.attr} and its PVs`}
            onClick={() =>
              setGroups(
                groups.filter((_, i) => i !== index),
                `Remove group ${group.attr}`,
              )
            }
          >
            <TrashIcon />
          </button>
          <textarea
            className="code-area"
            aria-label={`Group ${index + 1} helpers`}
            placeholder={`Python in class ${group.className || 'Group'} after its hooks (methods, constants)`}
            rows={Math.min(8, Math.max(2, (group.helpers ?? '').split('\n').length))}
            spellCheck={false}
            value={group.helpers ?? ''}
            onChange={(e) => change(index, { helpers: e.target.value }, 'Change group helpers', 'helpers')}
          />
        </div>
      ))}
      {problems.length > 0 && (
        <div className="field-problem">{problems.map((p) => `${p.path}: ${p.message}`).join(' · ')}</div>
      )}
      <button
        className="button small"
        onClick={() => {
          const n = groups.length + 1
          setGroups([...groups, { attr: `group${n}`, className: `Group${n}`, pvs: [] }], 'Add group')
        }}
      >
        <PlusIcon />
        Add group
      </button>
    </div>
  )
}

const PLACEMENT_LABEL: Readonly<Record<VerbatimBlock['placement'], string>> = {
  module: 'After the imports',
  class: 'At the end of the IOC class',
  'module-end': 'Before the __main__ block',
}

/** Code an import could not turn into the document: exported exactly as written, shown until reviewed. */
function VerbatimEditor({
  blocks,
  problems,
}: {
  blocks: readonly VerbatimBlock[]
  problems: readonly ListedProblem[]
}) {
  const setBlock = (index: number, block: VerbatimBlock | undefined, label: string, key: string) =>
    editProject(
      label,
      (p) => {
        const list = (p.verbatim ?? []).flatMap((b, i) => (i !== index ? [b] : block ? [block] : []))
        return withField(p, 'verbatim', list.length > 0 ? list : undefined)
      },
      { coalesceKey: `verbatim.${index}.${key}` },
    )
  return (
    <div className="rows-editor" data-wide>
      {blocks.map((block, index) => (
        <div
          className="verbatim-block"
          key={index}
          data-problem={under(problems, `verbatim[${index}]`)[0]?.severity}
        >
          <div className="rows-editor-row">
            <strong>{PLACEMENT_LABEL[block.placement]}</strong>
            {block.note && <span className="rows-editor-note">{block.note}</span>}
            <label className="check">
              <input
                type="checkbox"
                checked={!block.needsReview}
                onChange={(e) =>
                  setBlock(
                    index,
                    { ...block, needsReview: !e.target.checked },
                    'Mark code reviewed',
                    'review',
                  )
                }
              />
              Reviewed
            </label>
            <button
              className="icon-button"
              aria-label={`Remove kept code block ${index + 1}`}
              onClick={() => setBlock(index, undefined, 'Remove kept code', 'list')}
            >
              <TrashIcon />
            </button>
          </div>
          <textarea
            className="code-area"
            aria-label={`Kept code block ${index + 1}`}
            rows={Math.min(12, Math.max(3, block.code.split('\n').length))}
            spellCheck={false}
            value={block.code}
            onChange={(e) => setBlock(index, { ...block, code: e.target.value }, 'Edit kept code', 'code')}
          />
        </div>
      ))}
    </div>
  )
}

function parseGroups(text: string): Record<string, string[]> | undefined {
  const groups: Record<string, string[]> = {}
  for (const line of text.split('\n')) {
    const [name, members = ''] = line.split('=')
    if (name.trim() === '') continue
    groups[name.trim()] = members.split(/[\s,]+/).filter(Boolean)
  }
  return Object.keys(groups).length > 0 ? groups : undefined
}

function formatGroups(groups: Readonly<Record<string, readonly string[]>> | undefined): string {
  return Object.entries(groups ?? {})
    .map(([name, members]) => `${name} = ${members.join(', ')}`)
    .join('\n')
}

function AccessEditor({
  access,
  problems,
}: {
  access: AccessSettings | undefined
  problems: readonly ListedProblem[]
}) {
  const rules = access?.rules ?? []
  const setAccess = (next: AccessSettings, label: string, key: string) =>
    editProject(
      label,
      (p) => {
        const empty = next.rules.length === 0 && !next.userGroups && !next.hostGroups
        return withField(p, 'access', empty ? undefined : next)
      },
      { coalesceKey: `access.${key}` },
    )
  const base: AccessSettings = access ?? { rules: [] }
  const setRule = (index: number, rule: AccessRuleDefinition, key: string) =>
    setAccess(
      { ...base, rules: rules.map((r, i) => (i === index ? rule : r)) },
      'Change access rule',
      `${index}.${key}`,
    )
  const list = (text: string) => {
    const items = text.split(/[\s,]+/).filter(Boolean)
    return items.length > 0 ? items : undefined
  }
  return (
    <>
      <Field label="User groups" help={SERVER_HELP.groups} problems={under(problems, 'access.userGroups')}>
        {(props) => (
          <textarea
            {...props}
            rows={2}
            spellCheck={false}
            placeholder="operators = alice, bob"
            defaultValue={formatGroups(access?.userGroups)}
            onBlur={(e) =>
              setAccess(
                withField(base, 'userGroups', parseGroups(e.target.value)),
                'Change user groups',
                'users',
              )
            }
          />
        )}
      </Field>
      <Field label="Host groups" help={SERVER_HELP.groups} problems={under(problems, 'access.hostGroups')}>
        {(props) => (
          <textarea
            {...props}
            rows={2}
            spellCheck={false}
            placeholder="control_room = opi1, 10.0.0.5"
            defaultValue={formatGroups(access?.hostGroups)}
            onBlur={(e) =>
              setAccess(
                withField(base, 'hostGroups', parseGroups(e.target.value)),
                'Change host groups',
                'hosts',
              )
            }
          />
        )}
      </Field>
      <div className="rows-editor" data-wide>
        {rules.map((rule, index) => (
          <div
            className="rows-editor-row"
            key={index}
            data-problem={under(problems, `access.rules[${index}]`)[0]?.severity}
          >
            <input
              aria-label={`Rule ${index + 1} PV pattern`}
              placeholder="PV pattern, e.g. LAB:*"
              spellCheck={false}
              value={rule.pvPattern}
              onChange={(e) => setRule(index, { ...rule, pvPattern: e.target.value }, 'pattern')}
            />
            <select
              aria-label={`Rule ${index + 1} access`}
              value={rule.access}
              onChange={(e) =>
                setRule(
                  index,
                  { ...rule, access: e.target.value as AccessRuleDefinition['access'] },
                  'access',
                )
              }
            >
              <option value="NONE">No access</option>
              <option value="READ">Read</option>
              <option value="WRITE">Read and write</option>
            </select>
            <input
              aria-label={`Rule ${index + 1} user groups`}
              placeholder="user groups (all)"
              spellCheck={false}
              value={(rule.users ?? []).join(' ')}
              onChange={(e) => setRule(index, withField(rule, 'users', list(e.target.value)), 'users')}
            />
            <input
              aria-label={`Rule ${index + 1} host groups`}
              placeholder="host groups (all)"
              spellCheck={false}
              value={(rule.hosts ?? []).join(' ')}
              onChange={(e) => setRule(index, withField(rule, 'hosts', list(e.target.value)), 'hosts')}
            />
            <button
              className="icon-button"
              aria-label={`Remove rule ${index + 1}`}
              onClick={() =>
                setAccess(
                  { ...base, rules: rules.filter((_, i) => i !== index) },
                  'Remove access rule',
                  'list',
                )
              }
            >
              <TrashIcon />
            </button>
          </div>
        ))}
        {under(problems, 'access.rules').length > 0 && (
          <div className="field-problem">
            {under(problems, 'access.rules')
              .map((p) => `${p.path}: ${p.message}`)
              .join(' · ')}
          </div>
        )}
        <button
          className="button small"
          onClick={() =>
            setAccess(
              { ...base, rules: [...rules, { pvPattern: '*', access: 'READ' }] },
              'Add access rule',
              'list',
            )
          }
        >
          <PlusIcon />
          Add rule
        </button>
      </div>
    </>
  )
}
