import appIcon from '../../../resources/icon.svg'
import { setAboutOpen } from '../../state/app'
import { ServerControls } from '../server/ServerControls'
import { InfoIcon } from './icons'

export function TopBar() {
  return (
    <header className="top-bar">
      <div className="brand">
        <img src={appIcon} alt="" width={26} height={26} />
        <span className="brand-name">IOC Studio</span>
        <span className="brand-separator" aria-hidden="true">
          /
        </span>
        <span className="project-name" title="Projects arrive in a coming version">
          Untitled IOC
        </span>
      </div>
      <ServerControls />
      <button
        className="icon-button"
        title="About IOC Studio"
        aria-label="About IOC Studio"
        onClick={() => setAboutOpen(true)}
      >
        <InfoIcon />
      </button>
    </header>
  )
}
