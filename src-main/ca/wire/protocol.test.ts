import { describe, expect, it } from 'vitest'
import { Command, Eca, commandName, ecaMessage, ecaName, ecaSucceeded } from './protocol'

describe('ECA codes', () => {
  it('match the values clients compare against (caerr.h)', () => {
    expect({
      NORMAL: Eca.NORMAL,
      ALLOCMEM: Eca.ALLOCMEM,
      TOLARGE: Eca.TOLARGE,
      TIMEOUT: Eca.TIMEOUT,
      BADTYPE: Eca.BADTYPE,
      INTERNAL: Eca.INTERNAL,
      GETFAIL: Eca.GETFAIL,
      PUTFAIL: Eca.PUTFAIL,
      BADCOUNT: Eca.BADCOUNT,
      BADSTR: Eca.BADSTR,
      DISCONN: Eca.DISCONN,
      BADMONID: Eca.BADMONID,
      DEFUNCT: Eca.DEFUNCT,
      BADMASK: Eca.BADMASK,
      PUTCBINPROG: Eca.PUTCBINPROG,
      NORDACCESS: Eca.NORDACCESS,
      NOWTACCESS: Eca.NOWTACCESS,
      ANACHRONISM: Eca.ANACHRONISM,
      NOCONVERT: Eca.NOCONVERT,
      BADCHID: Eca.BADCHID,
      UNAVAILINSERV: Eca.UNAVAILINSERV,
      ARRAY16K: Eca['16KARRAYCLIENT'],
      UNRESPTMO: Eca.UNRESPTMO,
    }).toEqual({
      NORMAL: 1,
      ALLOCMEM: 48,
      TOLARGE: 72,
      TIMEOUT: 80,
      BADTYPE: 114,
      INTERNAL: 142,
      GETFAIL: 152,
      PUTFAIL: 160,
      BADCOUNT: 176,
      BADSTR: 186,
      DISCONN: 192,
      BADMONID: 242,
      DEFUNCT: 278,
      BADMASK: 330,
      PUTCBINPROG: 362,
      NORDACCESS: 368,
      NOWTACCESS: 376,
      ANACHRONISM: 386,
      NOCONVERT: 400,
      BADCHID: 410,
      UNAVAILINSERV: 432,
      ARRAY16K: 464,
      UNRESPTMO: 480,
    })
  })

  it('have names and messages', () => {
    expect(ecaName(368)).toBe('ECA_NORDACCESS')
    expect(ecaMessage(368)).toBe('Read access denied')
    expect(ecaMessage(Eca.NORMAL)).toBe('Normal successful completion')
    expect(ecaName(9999)).toBe('ECA_UNKNOWN(9999)')
    expect(ecaSucceeded(Eca.NORMAL)).toBe(true)
    expect(ecaSucceeded(Eca.PUTFAIL)).toBe(false)
  })
})

describe('commands', () => {
  it('are numbered as in caProto.h', () => {
    expect([Command.VERSION, Command.READ_NOTIFY, Command.CREATE_CHAN, Command.SERVER_DISCONN]).toEqual([
      0, 15, 18, 27,
    ])
    expect(commandName(22)).toBe('ACCESS_RIGHTS')
    expect(commandName(28)).toBe('UNKNOWN(28)')
  })
})
