import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * Some suites need system packages (Debian's chromium, python3-pyepics, libca-dev). Locally a missing package
 * skips the suite with a message saying what to install; under CI=true it is an error, so a missing install
 * step can never pass as green.
 */
export interface SystemRequirement {
  readonly available: boolean
  readonly reason: string
}

const cache = new Map<string, SystemRequirement>()

function requirement(name: string, probe: () => boolean, install: string): SystemRequirement {
  const cached = cache.get(name)
  if (cached) return cached
  let available: boolean
  try {
    available = probe()
  } catch {
    available = false
  }
  const result = { available, reason: available ? '' : `${name} is missing: ${install}` }
  if (!available) {
    if (process.env.CI === 'true') throw new Error(`CI=true and ${result.reason}`)
    console.warn(`[skip] ${result.reason}`)
  }
  cache.set(name, result)
  return result
}

export const SYSTEM_PYTHON = '/usr/bin/python3'
export const CHROMIUM = '/usr/bin/chromium'

export function pyepics(): SystemRequirement {
  return requirement(
    'python3-pyepics',
    () => {
      execFileSync(SYSTEM_PYTHON, ['-c', 'import epics'], { stdio: 'ignore', timeout: 10_000 })
      return true
    },
    'apt-get install -y python3-pyepics',
  )
}

export function chromium(): SystemRequirement {
  return requirement('chromium', () => existsSync(CHROMIUM), 'apt-get install -y chromium')
}

export function libcaDev(): SystemRequirement {
  return requirement(
    'libca-dev',
    // Debian 12's libca-dev ships the linker name libca.so but no CA headers; the load
    // generator declares the few functions it needs itself (test/bench/libca-api.h).
    () => existsSync('/usr/lib/x86_64-linux-gnu/libca.so'),
    'apt-get install -y libca-dev',
  )
}
