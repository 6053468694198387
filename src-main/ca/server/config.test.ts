import { describe, expect, it } from 'vitest'
import {
  DEFAULT_CA_SERVER_CONFIG,
  maxMessageBytes,
  readCaServerEnvironment,
  resolveCaServerConfig,
} from './config'

describe('readCaServerEnvironment', () => {
  it('uses the EPICS defaults for an empty environment', () => {
    const { config, warnings } = readCaServerEnvironment({})
    expect(config).toEqual(DEFAULT_CA_SERVER_CONFIG)
    expect(config.serverPort).toBe(5064)
    expect(config.beaconPort).toBe(5065)
    expect(config.beaconPeriodSeconds).toBe(15)
    expect(config.autoArrayBytes).toBe(true)
    expect(warnings).toEqual([])
  })

  it('prefers the CAS variables and falls back to the CA ones', () => {
    expect(readCaServerEnvironment({ EPICS_CA_SERVER_PORT: '15064' }).config.serverPort).toBe(15064)
    expect(
      readCaServerEnvironment({ EPICS_CA_SERVER_PORT: '15064', EPICS_CAS_SERVER_PORT: '15100' }).config
        .serverPort,
    ).toBe(15100)
    expect(readCaServerEnvironment({ EPICS_CA_REPEATER_PORT: '15065' }).config.beaconPort).toBe(15065)
    expect(
      readCaServerEnvironment({ EPICS_CA_REPEATER_PORT: '15065', EPICS_CAS_BEACON_PORT: '15066' }).config
        .beaconPort,
    ).toBe(15066)
    expect(readCaServerEnvironment({ EPICS_CA_BEACON_PERIOD: '2.5' }).config.beaconPeriodSeconds).toBe(2.5)
    expect(
      readCaServerEnvironment({ EPICS_CA_BEACON_PERIOD: '2.5', EPICS_CAS_BEACON_PERIOD: '7' }).config
        .beaconPeriodSeconds,
    ).toBe(7)
  })

  it('parses address lists, with ports defaulting to the beacon port', () => {
    const { config, warnings } = readCaServerEnvironment({
      EPICS_CAS_BEACON_PORT: '15065',
      EPICS_CAS_BEACON_ADDR_LIST: '127.0.0.1  10.0.0.255:6000 host.example',
      EPICS_CAS_AUTO_BEACON_ADDR_LIST: 'NO',
      EPICS_CAS_INTF_ADDR_LIST: '127.0.0.1 224.0.2.9',
      EPICS_CAS_IGNORE_ADDR_LIST: '10.1.1.1 10.1.1.2',
    })
    expect(config.beaconAddresses).toEqual([
      { host: '127.0.0.1', port: 15065 },
      { host: '10.0.0.255', port: 6000 },
      { host: 'host.example', port: 15065 },
    ])
    expect(config.autoBeaconAddresses).toBe(false)
    expect(config.interfaces).toEqual(['127.0.0.1'])
    expect(config.multicastGroups).toEqual(['224.0.2.9'])
    expect(config.ignoreAddresses).toEqual(['10.1.1.1', '10.1.1.2'])
    expect(warnings).toEqual([])
  })

  it('reads the array size limit and AUTO', () => {
    const manual = readCaServerEnvironment({
      EPICS_CA_MAX_ARRAY_BYTES: '100000',
      EPICS_CA_AUTO_ARRAY_BYTES: 'NO',
    })
    expect(manual.config.maxArrayBytes).toBe(100000)
    expect(manual.config.autoArrayBytes).toBe(false)
    expect(maxMessageBytes(manual.config)).toBe(100024)
    const small = readCaServerEnvironment({
      EPICS_CA_MAX_ARRAY_BYTES: '1000',
      EPICS_CA_AUTO_ARRAY_BYTES: 'no',
    })
    expect(maxMessageBytes(small.config)).toBe(16384)
    expect(maxMessageBytes(DEFAULT_CA_SERVER_CONFIG)).toBe(DEFAULT_CA_SERVER_CONFIG.autoArrayBytesLimit)
  })

  it('warns about unusable values and keeps the defaults', () => {
    const { config, warnings } = readCaServerEnvironment({
      EPICS_CAS_SERVER_PORT: 'http',
      EPICS_CA_SERVER_PORT: '70000',
      EPICS_CAS_BEACON_PERIOD: '-1',
      EPICS_CAS_AUTO_BEACON_ADDR_LIST: 'maybe',
      EPICS_CAS_INTF_ADDR_LIST: 'eth0 127.0.0.1:5064',
      EPICS_CAS_IGNORE_ADDR_LIST: 'not-an-ip',
    })
    expect(config.serverPort).toBe(5064)
    expect(config.beaconPeriodSeconds).toBe(15)
    expect(config.autoBeaconAddresses).toBe(true)
    expect(config.interfaces).toEqual(['127.0.0.1'])
    expect(config.ignoreAddresses).toEqual([])
    expect(warnings).toHaveLength(7)
    expect(warnings.join('\n')).toMatch(/EPICS_CAS_SERVER_PORT=http/)
  })

  it('treats a lone 0.0.0.0 as all interfaces and refuses to mix it', () => {
    expect(readCaServerEnvironment({ EPICS_CAS_INTF_ADDR_LIST: '0.0.0.0' }).config.interfaces).toEqual([])
    const mixed = readCaServerEnvironment({ EPICS_CAS_INTF_ADDR_LIST: '0.0.0.0 127.0.0.1' })
    expect(mixed.config.interfaces).toEqual([])
    expect(mixed.warnings).toHaveLength(1)
  })
})

describe('resolveCaServerConfig', () => {
  it('lets code override the environment', () => {
    const { config } = resolveCaServerConfig(
      { EPICS_CA_SERVER_PORT: '15064', EPICS_CAS_BEACON_PERIOD: '3' },
      { serverPort: 15200, maxChannelsPerCircuit: 10, beaconPort: undefined },
    )
    expect(config.serverPort).toBe(15200)
    expect(config.beaconPeriodSeconds).toBe(3)
    expect(config.maxChannelsPerCircuit).toBe(10)
    expect(config.beaconPort).toBe(5065)
  })
})
