/** Part 1's panels and views. Part 2 registers its own in a module like this one, imported from main.tsx. */
import { useLogStore } from '../../state/log'
import { LogActions, LogPanel } from '../log/LogPanel'
import { ProblemsPanel, useProblemsBadge } from '../problems/ProblemsPanel'
import { ScriptView } from '../script/ScriptView'
import { ServerEditor } from '../server-editor/ServerEditor'
import { CodeIcon, ServerIcon, TableIcon } from '../shell/icons'
import { PvTable } from '../table/PvTable'
import { registerPanel, registerView } from './registry'

registerPanel({
  id: 'problems',
  title: 'Problems',
  order: 10,
  Component: ProblemsPanel,
  useBadge: useProblemsBadge,
})
registerPanel({
  id: 'log',
  title: 'Log',
  order: 20,
  Component: LogPanel,
  Actions: LogActions,
  useBadge: () => {
    const count = useLogStore((s) => s.errorCount)
    return count > 0 ? { count, tone: 'error' } : null
  },
})

registerView({ id: 'table', title: 'PV table', order: 10, Icon: TableIcon, Component: PvTable })
registerView({ id: 'server', title: 'Server settings', order: 20, Icon: ServerIcon, Component: ServerEditor })
registerView({ id: 'script', title: 'Generated script', order: 30, Icon: CodeIcon, Component: ScriptView })
