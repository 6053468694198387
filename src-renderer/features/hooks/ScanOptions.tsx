import { SEVERITIES } from '@shared/model/project'
import type { PvDefinition, ScanHook, Severity } from '@shared/model/project'
import { editProject } from '../../state/project'
import { addressOfPath, updatePv, withField } from '../../state/project-edits'
import { locatePv } from '../../state/workbench'
import { NumberInput } from '../pv-editor/fields'

/** The scan decorator's arguments: period, and how failures and .SCAN behave. */
export function ScanOptions({ pv, pvId }: { pv: PvDefinition; pvId: string }) {
  const scan = pv.hooks?.scan
  if (!scan) return null
  const set = <K extends keyof ScanHook>(key: K, value: ScanHook[K] | undefined, label: string) =>
    editProject(
      label,
      (project) => {
        const location = locatePv(project, pvId)
        const address = location && addressOfPath(location.path)
        if (!address) return project
        return updatePv(project, address, (p) => {
          const current = p.hooks?.scan
          if (!current) return p
          return { ...p, hooks: { ...p.hooks, scan: withField(current, key, value) } }
        })
      },
      { coalesceKey: `${pvId}.scan.${String(key)}` },
    )
  return (
    <div className="scan-options" role="group" aria-label="Scan options">
      <label>
        Period (s)
        <NumberInput
          value={scan.period}
          min={0.001}
          required
          aria-label="Scan period in seconds"
          onCommit={(v) => v !== undefined && v > 0 && set('period', v, 'Change scan period')}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={scan.subtractElapsed !== false}
          onChange={(e) => set('subtractElapsed', e.target.checked ? undefined : false, 'Change scan timing')}
        />
        Subtract elapsed time
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={scan.stopOnError === true}
          onChange={(e) => set('stopOnError', e.target.checked || undefined, 'Change scan error handling')}
        />
        Stop on error
      </label>
      <label>
        On error
        <select
          value={scan.failureSeverity ?? 'MAJOR'}
          aria-label="Alarm severity after a failed scan"
          onChange={(e) =>
            set(
              'failureSeverity',
              e.target.value === 'MAJOR' ? undefined : (e.target.value as Severity),
              'Change scan failure severity',
            )
          }
        >
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="check" title="Clients change the rate through .SCAN (needs a record type)">
        <input
          type="checkbox"
          checked={scan.useScanField === true}
          onChange={(e) => set('useScanField', e.target.checked || undefined, 'Change .SCAN control')}
        />
        .SCAN sets the rate
      </label>
    </div>
  )
}
