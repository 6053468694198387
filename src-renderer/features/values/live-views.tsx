/**
 * Part 2's contributions to the layout: the Values view in the main area, and the Traffic, Queues and Clients
 * panels at the bottom. Imported once from main.tsx; it also starts the live connection.
 */
import { ensureLive, liveModel } from '../../state/live/live-connection'
import { useLiveStore } from '../../state/live/live-store'
import { ClientsPanel } from '../clients/ClientsPanel'
import { QueuesPanel } from '../queues/QueuesPanel'
import { TrafficPanel } from '../traffic/TrafficPanel'
import { registerPanel, registerView } from '../workbench/registry'
import { ClientsIcon, QueuesIcon, TrafficIcon, ValuesIcon } from '../shell/icons'
import { ValuesView } from './ValuesView'

// Values wants the main area; Traffic, Queues and Clients sit in the bottom panel for a glance while editing,
// and open in the main area too for a closer look (the same components: they fill whatever box they get).
registerView({ id: 'values', title: 'Values', order: 15, Icon: ValuesIcon, Component: ValuesView })
registerView({
  id: 'traffic',
  title: 'Traffic inspector',
  order: 16,
  Icon: TrafficIcon,
  Component: TrafficPanel,
})
registerView({ id: 'queues', title: 'Queues', order: 17, Icon: QueuesIcon, Component: QueuesPanel })
registerView({ id: 'clients', title: 'Clients', order: 18, Icon: ClientsIcon, Component: ClientsPanel })
registerPanel({ id: 'traffic', title: 'Traffic', order: 30, Component: TrafficPanel })
registerPanel({ id: 'queues', title: 'Queues', order: 40, Component: QueuesPanel })
registerPanel({
  id: 'clients',
  title: 'Clients',
  order: 50,
  Component: ClientsPanel,
  useBadge: () => {
    const count = useLiveStore(() => liveModel.clients.length)
    return count > 0 ? { count, tone: 'neutral' } : null
  },
})

// After the rest of the modules loaded: the platform is ready by then in both hosts.
queueMicrotask(() => ensureLive())
