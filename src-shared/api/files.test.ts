import { describe, expect, it } from 'vitest'
import { baseName, fileKind, withExtension } from './files'

describe('file kinds', () => {
  it('tells projects from scripts by name', () => {
    expect(fileKind('/home/a/motor.ioc.json')).toBe('project')
    expect(fileKind('C:\\iocs\\Motor.IOC.JSON')).toBe('project')
    expect(fileKind('server.py')).toBe('script')
    expect(fileKind('settings.json')).toBeNull()
    expect(fileKind('notes.txt')).toBeNull()
  })

  it('adds the extension a bare name lacks', () => {
    expect(withExtension('motor', 'project')).toBe('motor.ioc.json')
    expect(withExtension('motor.ioc.json', 'project')).toBe('motor.ioc.json')
    expect(withExtension('server', 'script')).toBe('server.py')
    expect(withExtension('server.ioc.json', 'script')).toBe('server.ioc.json.py')
  })

  it('names a file without its extension', () => {
    expect(baseName('/tmp/lab/thermostat.ioc.json')).toBe('thermostat')
    expect(baseName('C:\\x\\server.py')).toBe('server')
    expect(baseName('README')).toBe('README')
  })
})
