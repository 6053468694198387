import { describe, expect, it } from 'vitest'
import {
  encodeMessage,
  errorMessageSize,
  writeAccessRights,
  writeBeacon,
  writeClearChannelReply,
  writeClearChannelRequest,
  writeClientName,
  writeCreateChanFail,
  writeCreateChanReply,
  writeCreateChanRequest,
  writeDataReply,
  writeEcho,
  writeError,
  writeEventAddRequest,
  writeEventCancelReply,
  writeEventCancelRequest,
  writeEventsOff,
  writeEventsOn,
  writeHostName,
  writeNotFound,
  writeReadNotifyRequest,
  writeReadRequest,
  writeReadSync,
  writeRepeaterConfirm,
  writeRepeaterRegister,
  writeSearchReply,
  writeSearchReplyTcp,
  writeSearchRequest,
  writeServerDisconn,
  writeVersion,
  writeWriteNotifyReply,
  writeWriteRequest,
  writeZeroDataReply,
} from './messages'
import { Command, DO_REPLY, Eca } from './protocol'

const hex = (text: string): string => text.replace(/\s+/g, '')
const bytes = (buffer: Buffer): string => buffer.toString('hex')

describe('requests (client -> server)', () => {
  it('VERSION over TCP (priority) and in a UDP datagram (sequence)', () => {
    expect(bytes(encodeMessage(writeVersion, 0, 13))).toBe(hex('0000 0000 0000 000d 00000000 00000000'))
    expect(bytes(encodeMessage(writeVersion, 1, 13, 77))).toBe(hex('0000 0000 0001 000d 0000004d 00000000'))
  })

  it('SEARCH: name NUL-terminated and padded, reply flag and version, p1 = p2 = search ID', () => {
    expect(bytes(encodeMessage(writeSearchRequest, 'abc:def', 9))).toBe(
      hex('0006 0008 0005 000d 00000009 00000009 6162633a64656600'),
    )
    expect(bytes(encodeMessage(writeSearchRequest, 'abcdefgh', 1, DO_REPLY, 12))).toBe(
      hex('0006 0010 000a 000c 00000001 00000001 6162636465666768 0000000000000000'),
    )
  })

  it('CREATE_CHAN carries the CID in p1 and the client version in p2', () => {
    expect(bytes(encodeMessage(writeCreateChanRequest, 'pv', 5))).toBe(
      hex('0012 0008 0000 0000 00000005 0000000d 7076000000000000'),
    )
  })

  it('CLIENT_NAME and HOST_NAME', () => {
    expect(bytes(encodeMessage(writeClientName, 'user'))).toBe(
      hex('0014 0008 0000 0000 00000000 00000000 7573657200000000'),
    )
    expect(bytes(encodeMessage(writeHostName, 'host.example'))).toBe(
      hex('0015 0010 0000 0000 00000000 00000000 686f73742e6578616d706c6500000000'),
    )
  })

  it('READ_NOTIFY and READ', () => {
    expect(bytes(encodeMessage(writeReadNotifyRequest, 20, 1, 3, 4))).toBe(
      hex('000f 0000 0014 0001 00000003 00000004'),
    )
    expect(bytes(encodeMessage(writeReadRequest, 6, 0, 3, 4))).toBe(
      hex('0003 0000 0006 0000 00000003 00000004'),
    )
  })

  it('WRITE and WRITE_NOTIFY pad the value', () => {
    const value = Buffer.from('4045000000000000', 'hex')
    expect(bytes(encodeMessage(writeWriteRequest, false, 6, 1, 2, 7, value))).toBe(
      hex('0004 0008 0006 0001 00000002 00000007 4045000000000000'),
    )
    expect(bytes(encodeMessage(writeWriteRequest, true, 0, 1, 2, 8, Buffer.from('abc\0', 'latin1')))).toBe(
      hex('0013 0008 0000 0001 00000002 00000008 6162630000000000'),
    )
  })

  it('WRITE of a large array uses the extended header', () => {
    const value = Buffer.alloc(100_000 * 8, 1)
    const message = encodeMessage(writeWriteRequest, true, 6, 100_000, 2, 8, value)
    expect(message.length).toBe(24 + 800_000)
    expect(bytes(message.subarray(0, 24))).toBe(
      hex('0013 ffff 0006 0000 00000002 00000008 000c3500 000186a0'),
    )
  })

  it('EVENT_ADD: 12 legacy bytes, mask, pad', () => {
    expect(bytes(encodeMessage(writeEventAddRequest, 20, 0, 3, 11, 5))).toBe(
      hex('0001 0010 0014 0000 00000003 0000000b 000000000000000000000000 0005 0000'),
    )
  })

  it('EVENT_CANCEL, CLEAR_CHANNEL, EVENTS_OFF/ON, ECHO, READ_SYNC, REPEATER_REGISTER', () => {
    expect(bytes(encodeMessage(writeEventCancelRequest, 20, 0, 3, 11))).toBe(
      hex('0002 0000 0014 0000 00000003 0000000b'),
    )
    expect(bytes(encodeMessage(writeClearChannelRequest, 3, 5))).toBe(
      hex('000c 0000 0000 0000 00000003 00000005'),
    )
    expect(bytes(encodeMessage(writeEventsOff))).toBe(hex('0008 0000 0000 0000 00000000 00000000'))
    expect(bytes(encodeMessage(writeEventsOn))).toBe(hex('0009 0000 0000 0000 00000000 00000000'))
    expect(bytes(encodeMessage(writeEcho))).toBe(hex('0017 0000 0000 0000 00000000 00000000'))
    expect(bytes(encodeMessage(writeReadSync))).toBe(hex('000a 0000 0000 0000 00000000 00000000'))
    expect(bytes(encodeMessage(writeRepeaterRegister, 0x7f000001))).toBe(
      hex('0018 0000 0000 0000 00000000 7f000001'),
    )
  })
})

describe('replies (server -> client)', () => {
  it('UDP SEARCH reply: TCP port in dataType, 0xFFFFFFFF, search ID, 8-byte payload with the version', () => {
    expect(bytes(encodeMessage(writeSearchReply, 15064, 9))).toBe(
      hex('0006 0008 3ad8 0000 ffffffff 00000009 000d000000000000'),
    )
  })

  it('TCP SEARCH reply has no payload; NOT_FOUND echoes flag and version', () => {
    expect(bytes(encodeMessage(writeSearchReplyTcp, 15064, 9))).toBe(
      hex('0006 0000 3ad8 0000 ffffffff 00000009'),
    )
    expect(bytes(encodeMessage(writeNotFound, DO_REPLY, 13, 9))).toBe(
      hex('000e 0000 000a 000d 00000009 00000009'),
    )
  })

  it('beacon: version, TCP port, ID, address 0', () => {
    expect(bytes(encodeMessage(writeBeacon, 15064, 3))).toBe(hex('000d 0000 000d 3ad8 00000003 00000000'))
  })

  it('REPEATER_CONFIRM', () => {
    expect(bytes(encodeMessage(writeRepeaterConfirm, 0x7f000001))).toBe(
      hex('0011 0000 0000 0000 00000000 7f000001'),
    )
  })

  it('ACCESS_RIGHTS, CREATE_CHAN reply, CREATE_CH_FAIL, CLEAR_CHANNEL reply, SERVER_DISCONN', () => {
    expect(bytes(encodeMessage(writeAccessRights, 7, 3))).toBe(hex('0016 0000 0000 0000 00000007 00000003'))
    expect(bytes(encodeMessage(writeCreateChanReply, 6, 1, 7, 100))).toBe(
      hex('0012 0000 0006 0001 00000007 00000064'),
    )
    expect(bytes(encodeMessage(writeCreateChanReply, 5, 70_000, 7, 100))).toBe(
      hex('0012 ffff 0005 0000 00000007 00000064 00000000 00011170'),
    )
    expect(bytes(encodeMessage(writeCreateChanFail, 7))).toBe(hex('001a 0000 0000 0000 00000007 00000000'))
    expect(bytes(encodeMessage(writeClearChannelReply, 0, 0, 100, 7))).toBe(
      hex('000c 0000 0000 0000 00000064 00000007'),
    )
    expect(bytes(encodeMessage(writeServerDisconn, 7))).toBe(hex('001b 0000 0000 0000 00000007 00000000'))
  })

  it('data replies copy a padded payload; failures carry zeros', () => {
    const payload = Buffer.from('ffff' + '0000000000000000' + '3ff0000000000000' + 'ffff', 'hex')
    expect(
      bytes(encodeMessage(writeDataReply, Command.READ_NOTIFY, 6, 1, Eca.NORMAL, 4, payload, 2, 16)),
    ).toBe(hex('000f 0010 0006 0001 00000001 00000004 0000000000000000 3ff0000000000000'))
    expect(bytes(encodeMessage(writeZeroDataReply, Command.EVENT_ADD, 6, 1, Eca.NORDACCESS, 12, 8))).toBe(
      hex('0001 0008 0006 0001 00000170 0000000c 0000000000000000'),
    )
    expect(bytes(encodeMessage(writeWriteNotifyReply, 6, 1, Eca.PUTFAIL, 4))).toBe(
      hex('0013 0000 0006 0001 000000a0 00000004'),
    )
  })

  it('cancel confirmation is an empty EVENT_ADD with the SID in p1', () => {
    expect(bytes(encodeMessage(writeEventCancelReply, 20, 0, 3, 11))).toBe(
      hex('0001 0000 0014 0000 00000003 0000000b'),
    )
  })

  it('ERROR embeds the request header and a NUL-terminated text', () => {
    const request = Buffer.from('0004000800060001000000630000000e' + '4045000000000000', 'hex')
    const message = encodeMessage(writeError, 14, Eca.BADCHID, request, 0, 16, 'bad sid')
    expect(bytes(message)).toBe(
      hex('000b 0018 0000 0000 0000000e 0000019a 0004000800060001000000630000000e 62616420736964 00'),
    )
    expect(errorMessageSize(16, 'bad sid')).toBe(message.length)
  })

  it('ERROR stays within 512 bytes whatever the text', () => {
    const request = Buffer.alloc(24)
    const message = encodeMessage(writeError, 0xffffffff, Eca.INTERNAL, request, 0, 24, 'x'.repeat(2000))
    expect(message.length).toBeLessThanOrEqual(512)
    expect(message.length % 8).toBe(0)
    expect(message[message.length - 1]).toBe(0)
    expect(errorMessageSize(24, 'x'.repeat(2000))).toBe(message.length)
  })
})

describe('output buffers are reused', () => {
  it('padding is zeroed even over old bytes', () => {
    const target = Buffer.alloc(64, 0xff)
    const end = writeSearchRequest(target, 8, 'a', 1)
    expect(end).toBe(8 + 24)
    expect(bytes(target.subarray(8, end))).toBe(hex('0006 0008 0005 000d 00000001 00000001 6100000000000000'))
  })
})
