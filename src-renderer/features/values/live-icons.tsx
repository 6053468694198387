/** Icons of the live views, on the shell's 16-unit grid in the current text colour. */
import type { ReactNode } from 'react'

function Icon({ children }: { readonly children: ReactNode }) {
  return (
    <svg
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {children}
    </svg>
  )
}

export const ValuesIcon = () => (
  <Icon>
    <path d="M1.5 8.5h3l2-5 3 9 2-4h3" />
  </Icon>
)

export const TrafficIcon = () => (
  <Icon>
    <path d="M2 5h10l-2.5-2.5M14 11H4l2.5 2.5" />
  </Icon>
)

export const QueuesIcon = () => (
  <Icon>
    <rect x="2" y="2.5" width="12" height="3" rx="1" />
    <rect x="2" y="6.5" width="12" height="3" rx="1" />
    <path d="M2 12.5h7" />
  </Icon>
)

export const ClientsIcon = () => (
  <Icon>
    <rect x="1.5" y="3" width="9" height="6.5" rx="1" />
    <path d="M4 12.5h4M6 9.5v3M12.5 5.5h2v8h-4v-1" />
  </Icon>
)
