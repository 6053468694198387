import { useEffect, useRef } from 'react'
import appIcon from '../../../resources/icon.svg'
import { setAboutOpen, useAppStore } from '../../state/app'

const HOST_LABEL = { electron: 'Desktop app', browser: 'Browser (ioc-studio serve)' } as const

/** Help › About: what this is, which version, on which runtimes. */
export function AboutDialog() {
  const open = useAppStore((s) => s.aboutOpen)
  const info = useAppStore((s) => s.info)
  const dialog = useRef<HTMLDialogElement>(null)

  useEffect(() => {
    const el = dialog.current
    if (!el) return
    if (open && !el.open) el.showModal()
    if (!open && el.open) el.close()
  }, [open])

  return (
    <dialog ref={dialog} className="about" aria-labelledby="about-title" onClose={() => setAboutOpen(false)}>
      <img src={appIcon} alt="" width={72} height={72} />
      <h2 id="about-title">IOC Studio</h2>
      <p className="about-version">Version {info?.version ?? '…'}</p>
      <p className="about-tagline">
        Build, run, watch and export EPICS soft IOCs: a Channel Access server with Python hooks in
        caproto&rsquo;s dialect.
      </p>
      {info && (
        <dl className="about-facts">
          {[
            ['Running as', HOST_LABEL[info.host]],
            ['Platform', info.platform],
            ...Object.entries(info.versions),
          ].map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      <button className="button primary" autoFocus onClick={() => setAboutOpen(false)}>
        Close
      </button>
    </dialog>
  )
}
