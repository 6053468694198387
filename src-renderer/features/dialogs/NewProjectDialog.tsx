import { useState } from 'react'
import type { ExampleProject } from '@shared/api/contract'
import { Modal } from './Modal'

/** Blank, or a copy of one of the examples. */
export function NewProjectDialog({
  examples,
  onDone,
}: {
  examples: readonly ExampleProject[]
  onDone: (choice: string | null | undefined) => void
}) {
  const [choice, setChoice] = useState<string | null>(null)
  return (
    <Modal
      title="New project"
      testId="new-project-dialog"
      onCancel={() => onDone(undefined)}
      footer={
        <>
          <button className="button" onClick={() => onDone(undefined)}>
            Cancel
          </button>
          <button className="button primary" onClick={() => onDone(choice)}>
            Create
          </button>
        </>
      }
    >
      <div className="choice-list" role="radiogroup" aria-label="Start from">
        <Choice
          selected={choice === null}
          onSelect={() => setChoice(null)}
          onChoose={() => onDone(null)}
          title="Blank project"
          detail="No PVs yet"
        />
        {examples.map((example) => (
          <Choice
            key={example.id}
            selected={choice === example.id}
            onSelect={() => setChoice(example.id)}
            onChoose={() => onDone(example.id)}
            title={example.name}
            detail={`${example.description}${example.description ? ' · ' : ''}${example.pvCount} PV${example.pvCount === 1 ? '' : 's'}`}
          />
        ))}
      </div>
    </Modal>
  )
}

function Choice({
  selected,
  onSelect,
  onChoose,
  title,
  detail,
}: {
  selected: boolean
  onSelect: () => void
  onChoose: () => void
  title: string
  detail: string
}) {
  return (
    <button
      role="radio"
      aria-checked={selected}
      className="choice"
      onClick={onSelect}
      onDoubleClick={onChoose}
    >
      <span className="choice-title">{title}</span>
      <span className="choice-detail">{detail}</span>
    </button>
  )
}
