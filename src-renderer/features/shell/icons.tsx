/** The line icons of the shell and its views, drawn on a 16-unit grid in the current text colour. */
import type { ReactNode, SVGProps } from 'react'

function Icon({ children, ...props }: SVGProps<SVGSVGElement> & { children: ReactNode }) {
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
      {...props}
    >
      {children}
    </svg>
  )
}

export const PlayIcon = () => (
  <Icon>
    <path d="M5 3.5v9l7-4.5z" fill="currentColor" />
  </Icon>
)

export const StopIcon = () => (
  <Icon>
    <rect x="4" y="4" width="8" height="8" rx="1.5" fill="currentColor" />
  </Icon>
)

export const RestartIcon = () => (
  <Icon>
    <path d="M13 8a5 5 0 1 1-1.46-3.54" />
    <path d="M12 2.5v2.5H9.5" />
  </Icon>
)

export const InfoIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 7.25v3.75M8 5h.01" />
  </Icon>
)

export const ListIcon = () => (
  <Icon>
    <path d="M5.5 4.5h7M5.5 8h7M5.5 11.5h7M3 4.5h.01M3 8h.01M3 11.5h.01" />
  </Icon>
)

export const FileIcon = () => (
  <Icon>
    <path d="M4 1.75h5l3 3v9.5H4z" />
    <path d="M9 1.75v3h3" />
  </Icon>
)

export const TrashIcon = () => (
  <Icon>
    <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.5 9h6l.5-9" />
  </Icon>
)

export const PlusIcon = () => (
  <Icon>
    <path d="M8 3.5v9M3.5 8h9" />
  </Icon>
)

export const CopyIcon = () => (
  <Icon>
    <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
    <path d="M10.5 5.5V3.75A1.25 1.25 0 0 0 9.25 2.5h-5.5A1.25 1.25 0 0 0 2.5 3.75v5.5a1.25 1.25 0 0 0 1.25 1.25H5.5" />
  </Icon>
)

export const ArrowUpIcon = () => (
  <Icon>
    <path d="M8 13V3M4 7l4-4 4 4" />
  </Icon>
)

export const ArrowDownIcon = () => (
  <Icon>
    <path d="M8 3v10M4 9l4 4 4-4" />
  </Icon>
)

export const CloseIcon = () => (
  <Icon>
    <path d="M4.5 4.5l7 7M11.5 4.5l-7 7" />
  </Icon>
)

export const ChevronIcon = () => (
  <Icon>
    <path d="M6 4l4 4-4 4" />
  </Icon>
)

export const NewFileIcon = () => (
  <Icon>
    <path d="M4 1.75h5l3 3v9.5H4z" />
    <path d="M9 1.75v3h3M8 7.5v4M6 9.5h4" />
  </Icon>
)

export const FolderIcon = () => (
  <Icon>
    <path d="M1.75 4.25a1 1 0 0 1 1-1h3.5l1.5 1.5h5.5a1 1 0 0 1 1 1v6.5a1 1 0 0 1-1 1h-10.5a1 1 0 0 1-1-1z" />
  </Icon>
)

export const SaveIcon = () => (
  <Icon>
    <path d="M2.75 2.75h8.5l2 2v8.5h-10.5z" />
    <path d="M5 2.75v3.5h5v-3.5M5 13.25v-4h6v4" />
  </Icon>
)

export const ImportIcon = () => (
  <Icon>
    <path d="M8 2v8M4.75 6.75 8 10l3.25-3.25M2.75 11v2.25h10.5V11" />
  </Icon>
)

export const ExportIcon = () => (
  <Icon>
    <path d="M8 10V2M4.75 5.25 8 2l3.25 3.25M2.75 11v2.25h10.5V11" />
  </Icon>
)

export const UndoIcon = () => (
  <Icon>
    <path d="M3.5 6.5h6.25a3.25 3.25 0 0 1 0 6.5H7" />
    <path d="M6 4 3.5 6.5 6 9" />
  </Icon>
)

export const RedoIcon = () => (
  <Icon>
    <path d="M12.5 6.5H6.25a3.25 3.25 0 0 0 0 6.5H9" />
    <path d="M10 4l2.5 2.5L10 9" />
  </Icon>
)

export const ApplyIcon = () => (
  <Icon>
    <path d="M2.5 8.5 6 12l7.5-8" />
  </Icon>
)

export const CodeIcon = () => (
  <Icon>
    <path d="M5.5 4.5 2 8l3.5 3.5M10.5 4.5 14 8l-3.5 3.5" />
  </Icon>
)

export const TableIcon = () => (
  <Icon>
    <rect x="2" y="3" width="12" height="10" rx="1.5" />
    <path d="M2 6.5h12M2 9.75h12M6 6.5V13" />
  </Icon>
)

export const ServerIcon = () => (
  <Icon>
    <rect x="2.5" y="2.5" width="11" height="4.5" rx="1" />
    <rect x="2.5" y="9" width="11" height="4.5" rx="1" />
    <path d="M5 4.75h.01M5 11.25h.01" />
  </Icon>
)

export const GroupIcon = () => (
  <Icon>
    <path d="M2 4.5h4l1.25 1.5H14v6.5H2z" />
  </Icon>
)

export const WarningIcon = () => (
  <Icon>
    <path d="M8 2.25 14.25 13.5H1.75z" />
    <path d="M8 6.5v3M8 11.5h.01" />
  </Icon>
)

export const ErrorIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="6" />
    <path d="M6 6l4 4M10 6l-4 4" />
  </Icon>
)

export const SearchIcon = () => (
  <Icon>
    <circle cx="7" cy="7" r="4.25" />
    <path d="M10.25 10.25 13.5 13.5" />
  </Icon>
)

export const HomeIcon = () => (
  <Icon>
    <path d="M2.5 7.5 8 2.75l5.5 4.75M4 6.5v6.75h8V6.5" />
  </Icon>
)

export const SaveAsIcon = () => (
  <Icon>
    <path d="M9.5 13.25H2.75V2.75h8.5l2 2V8" />
    <path d="M5 2.75v3.5h5v-3.5M11.5 10v4M9.5 12h4" />
  </Icon>
)

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
