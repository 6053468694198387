/**
 * Form fields of the editors. Text edits reach the document on every keystroke (merged into one undo step
 * per field); a number field keeps what the user types until it is a number, so "1e" or "-" on the way to
 * "1e3" or "-5" is not thrown away, and shows the document's value again when left with something invalid.
 */
import { useId, useState } from 'react'
import type { InputHTMLAttributes, ReactNode } from 'react'
import type { ListedProblem } from '../../state/problems'

export function Field({
  label,
  help,
  problems = [],
  children,
  wide = false,
}: {
  label: string
  help?: string
  problems?: readonly ListedProblem[]
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode
  wide?: boolean
}) {
  const id = useId()
  const helpId = `${id}-help`
  const errorId = `${id}-error`
  const described =
    [help ? helpId : '', problems.length > 0 ? errorId : ''].filter(Boolean).join(' ') || undefined
  const worst = problems.some((p) => p.severity === 'error')
    ? 'error'
    : problems.length > 0
      ? 'warning'
      : undefined
  return (
    <div className="field" data-wide={wide || undefined} data-problem={worst}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': described, 'aria-invalid': worst === 'error' || undefined })}
      {problems.length > 0 && (
        <div className="field-problem" id={errorId} role={worst === 'error' ? 'alert' : undefined}>
          {problems.map((p) => p.message).join(' · ')}
        </div>
      )}
      {help && (
        <div className="field-help" id={helpId}>
          {help}
        </div>
      )}
    </div>
  )
}

type NumberInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  readonly value: number | undefined
  readonly onCommit: (value: number | undefined) => void
  readonly integer?: boolean
}

export function parseNumber(text: string, integer: boolean): number | undefined | null {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const value = Number(trimmed)
  // The document is JSON: no NaN, no infinities.
  if (!Number.isFinite(value)) return null
  if (integer && !Number.isInteger(value)) return null
  return value
}

export function NumberInput({ value, onCommit, integer = false, ...rest }: NumberInputProps) {
  const [draft, setDraft] = useState<string | null>(null)
  const shown = draft ?? (value === undefined ? '' : String(value))
  return (
    <input
      {...rest}
      type="text"
      inputMode={integer ? 'numeric' : 'decimal'}
      spellCheck={false}
      value={shown}
      onChange={(e) => {
        const text = e.target.value
        setDraft(text)
        const parsed = parseNumber(text, integer)
        if (parsed !== null && parsed !== value) onCommit(parsed)
      }}
      onBlur={() => setDraft(null)}
    />
  )
}
