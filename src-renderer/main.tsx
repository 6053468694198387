import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { AppShell } from './features/shell/AppShell'
import './features/shell/shell.css'
import './features/shell/workbench.css'
import './features/workbench/contributions'
import './features/values/live-views'
import { getPlatform } from './platform/api'

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <AppShell platform={getPlatform()} />
  </StrictMode>,
)
