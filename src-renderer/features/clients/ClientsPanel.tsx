/**
 * Clients: every Channel Access client connected to the IOC (address, host, user, protocol version, channels,
 * subscriptions, bytes in and out, connected since), the channels the selected one holds, and a way to
 * disconnect one (its circuit is closed; a client library will usually reconnect).
 */
import { useEffect, useState } from 'react'
import type { LiveClient } from '@shared/api/live'
import { getPlatform } from '../../platform/api'
import { ensureLive, liveModel } from '../../state/live/live-connection'
import { useLiveStore } from '../../state/live/live-store'
import { formatAge, formatBytes, formatCount, formatDateTime } from '../../state/live/format'
import '../values/live.css'
import './clients.css'

export function ClientsPanel() {
  useEffect(() => ensureLive(), [])
  useLiveStore((s) => s.clients)
  // "Connected since" ages with the clock (commits come at least once a second).
  const now = useLiveStore((s) => s.now)
  const [selected, setSelected] = useState<number | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const clients = liveModel.clients
  const current = clients.find((c) => c.circuitId === selected)

  const disconnect = async (client: LiveClient) => {
    setMessage(null)
    try {
      const done = await getPlatform().api.disconnectClient(client.circuitId)
      setMessage(done ? `Disconnected ${who(client)}` : `${who(client)} had already gone`)
    } catch (error) {
      setMessage(
        `Could not disconnect ${who(client)}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }

  return (
    <section className="live-view clients-view" aria-label="Clients">
      <div className="clients-main">
        <div className="live-toolbar">
          <span className="panel-title">Connected clients</span>
          <span className="live-summary" data-testid="clients-summary">
            {formatCount(clients.length)} connected
          </span>
          {message && (
            <span className="live-note" role="status">
              {message}
            </span>
          )}
        </div>
        <div className="clients-scroll">
          <table className="live-table" aria-label="Connected clients" data-testid="clients">
            <thead>
              <tr>
                <th>Address</th>
                <th>Host</th>
                <th>User</th>
                <th>Protocol</th>
                <th className="num">Channels</th>
                <th className="num" title="Subscriptions (monitors)">
                  Subs
                </th>
                <th className="num">Bytes in</th>
                <th className="num">Bytes out</th>
                <th>Connected</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {clients.map((client) => (
                <tr
                  key={client.circuitId}
                  aria-selected={client.circuitId === selected}
                  data-client={client.key}
                  onClick={() => setSelected(client.circuitId === selected ? null : client.circuitId)}
                >
                  <td className="mono">
                    {client.address}:{client.port}
                  </td>
                  <td>{client.host || <span className="muted">(not sent)</span>}</td>
                  <td>{client.user || <span className="muted">(not sent)</span>}</td>
                  <td>CA 4.{client.minorVersion}</td>
                  <td className="num">{formatCount(client.channelCount)}</td>
                  <td className="num">{formatCount(client.subscriptionCount)}</td>
                  <td className="num">{formatBytes(client.bytesIn)}</td>
                  <td className="num">{formatBytes(client.bytesOut)}</td>
                  <td title={formatDateTime(client.connectedSince)}>
                    {formatAge(client.connectedSince, now)} ago
                  </td>
                  <td>
                    <button
                      className="button small danger"
                      aria-label={`Disconnect ${who(client)}`}
                      onClick={(e) => {
                        e.stopPropagation()
                        void disconnect(client)
                      }}
                    >
                      Disconnect
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {clients.length === 0 && (
            <div className="live-empty">
              No client is connected. Point caget, pyepics or a display at the IOC.
            </div>
          )}
        </div>
      </div>
      {current && <ClientChannels client={current} />}
    </section>
  )
}

function who(client: LiveClient): string {
  const name = client.user ? `${client.user}@${client.host || client.address}` : client.host || client.address
  return `${name} (${client.address}:${client.port})`
}

function ClientChannels({ client }: { readonly client: LiveClient }) {
  return (
    <aside className="client-detail" aria-label={`Channels of ${who(client)}`}>
      <div className="live-toolbar">
        <span className="panel-title">Channels</span>
        <span className="live-summary">held by {who(client)}</span>
      </div>
      <dl className="client-facts">
        <div>
          <dt>Operations</dt>
          <dd>
            {formatCount(client.gets)} gets · {formatCount(client.puts)} puts
            {client.putFailures > 0 && ` (${client.putFailures} failed)`} · {formatCount(client.updates)}{' '}
            updates
          </dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd>{client.pendingOperations} operations</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{client.eventsEnabled ? 'on' : 'off (EVENTS_OFF)'}</dd>
        </div>
        {client.errors > 0 && (
          <div>
            <dt>Errors</dt>
            <dd>{client.errors}</dd>
          </div>
        )}
      </dl>
      <div className="clients-scroll">
        <table className="live-table" aria-label="Channels">
          <thead>
            <tr>
              <th>PV</th>
              <th className="num">Channels</th>
              <th className="num">Monitors</th>
            </tr>
          </thead>
          <tbody>
            {client.channels.map((channel) => (
              <tr key={channel.pv}>
                <td className="mono">{channel.pv}</td>
                <td className="num">{channel.channels}</td>
                <td className="num">{channel.monitors}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {client.channels.length === 0 && <div className="live-empty">No channel open.</div>}
      </div>
    </aside>
  )
}
