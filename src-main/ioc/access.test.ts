import { describe, expect, it } from 'vitest'
import { AccessRights } from '../ca/server/provider'
import { AccessPolicy, AccessRulesError, globToRegExp } from './access'
import type { AccessRules } from './access'
import { client } from './test-support'

const rules: AccessRules = {
  userGroups: { ops: ['alice', 'bob'], experts: ['carol'] },
  hostGroups: { control: ['CR1.lab', '192.168.1.10'], any: ['ws1.lab', 'cr1.lab'] },
  rules: [
    { pvPattern: 'BL:*', access: 'READ' },
    { pvPattern: 'BL:*', access: 'WRITE', users: ['ops'], hosts: ['control'] },
    { pvPattern: 'BL:MOTOR?:*', access: 'WRITE', users: ['experts'] },
    { pvPattern: 'SECRET:*', access: 'NONE' },
  ],
}

function rights(policy: AccessPolicy, pv: string, who = client()): AccessRights {
  return AccessPolicy.evaluate(policy.match(pv), who)
}

describe('AccessPolicy', () => {
  const policy = new AccessPolicy(rules)

  it('grants the maximum of the matching rules whose conditions hold', () => {
    expect(rights(policy, 'BL:TEMP', client('alice', 'ws1.lab'))).toBe(AccessRights.READ)
    expect(rights(policy, 'BL:TEMP', client('alice', 'cr1.lab'))).toBe(AccessRights.READ_WRITE)
    expect(rights(policy, 'BL:TEMP', client('mallory', 'cr1.lab'))).toBe(AccessRights.READ)
    expect(rights(policy, 'BL:MOTOR1:VAL', client('carol', 'elsewhere'))).toBe(AccessRights.READ_WRITE)
    expect(rights(policy, 'BL:MOTOR12:VAL', client('carol', 'elsewhere'))).toBe(AccessRights.READ)
  })

  it('compares host names lowercase and also accepts IP addresses', () => {
    expect(rights(policy, 'BL:TEMP', client('bob', 'CR1.LAB'))).toBe(AccessRights.READ_WRITE)
    expect(rights(policy, 'BL:TEMP', client('bob', '', '192.168.1.10'))).toBe(AccessRights.READ_WRITE)
  })

  it('compares user names exactly', () => {
    expect(rights(policy, 'BL:TEMP', client('Alice', 'cr1.lab'))).toBe(AccessRights.READ)
  })

  it('denies everything a NONE rule matches and leaves unmatched PVs open', () => {
    expect(rights(policy, 'SECRET:KEY')).toBe(AccessRights.NONE)
    expect(rights(policy, 'OTHER:PV')).toBe(AccessRights.READ_WRITE)
    expect(rights(AccessPolicy.OPEN, 'SECRET:KEY')).toBe(AccessRights.READ_WRITE)
  })

  it('refuses invalid rules with the path of the problem', () => {
    const bad = (r: unknown): string => {
      try {
        new AccessPolicy(r as AccessRules)
      } catch (error) {
        expect(error).toBeInstanceOf(AccessRulesError)
        return (error as Error).message
      }
      return 'no error'
    }
    expect(bad({ rules: [{ pvPattern: '*', access: 'WRITE', users: ['nobody'] }] })).toBe(
      'rules[0].users: unknown user group "nobody"',
    )
    expect(bad({ rules: [{ pvPattern: '*', access: 'ALL' }] })).toBe(
      'rules[0].access: "ALL" is not NONE, READ or WRITE',
    )
    expect(bad({ rules: [{ pvPattern: '', access: 'READ' }] })).toContain('rules[0].pvPattern')
    expect(bad({ hostGroups: { lab: 'pc1' }, rules: [] })).toBe(
      'hostGroups.lab: must be a list of non-empty names',
    )
    expect(bad({})).toBe('rules: must be a list of rules')
  })
})

describe('globToRegExp', () => {
  it('supports * and ? and treats everything else literally', () => {
    expect(globToRegExp('A.B*').test('A.B:C')).toBe(true)
    expect(globToRegExp('A.B*').test('AxB:C')).toBe(false)
    expect(globToRegExp('X?').test('X1')).toBe(true)
    expect(globToRegExp('X?').test('X12')).toBe(false)
    expect(globToRegExp('[a]+(b)').test('[a]+(b)')).toBe(true)
  })
})
