import { describe, expect, it } from 'vitest'
import { ApiError, fromApiErrorInfo, toApiErrorInfo } from './errors'

describe('ApiError across a transport', () => {
  it('survives a JSON round trip with its code', () => {
    const info = JSON.parse(JSON.stringify(toApiErrorInfo(new ApiError('bad-arguments', 'limit is wrong'))))
    const error = fromApiErrorInfo(info)
    expect(error).toBeInstanceOf(ApiError)
    expect(error.code).toBe('bad-arguments')
    expect(error.message).toBe('limit is wrong')
  })

  it('reports plain errors and thrown values as failures', () => {
    expect(toApiErrorInfo(new Error('port in use'))).toEqual({ code: 'failed', message: 'port in use' })
    expect(toApiErrorInfo('boom')).toEqual({ code: 'failed', message: 'boom' })
  })

  it('does not trust what arrives', () => {
    expect(fromApiErrorInfo({ code: 'root', message: 'x' }).code).toBe('failed')
    expect(fromApiErrorInfo(undefined).message).toBe('The backend reported an error without a message')
  })
})
