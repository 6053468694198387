import type { IocRequests, IocStreams, RequestName, StreamName } from '@shared/api/contract'
import { parseRequest, parseStreamName } from '@shared/api/validate'
import type { RequestArgs } from '@shared/api/validate'
import type { Disposable, Event } from '@shared/base/event'

/** What a host talks to: the requests plus one event per stream (a `Backend`, in practice). */
export type BackendApi = IocRequests & { readonly [K in StreamName]: Event<IocStreams[K]> }

/**
 * Runs a request that arrived from a transport. The name and arguments are untrusted: they are validated by
 * the shared parsers first, and a bad call rejects with an `ApiError` ('unknown-method' or 'bad-arguments')
 * whose message names the argument, before the backend sees anything.
 */
export async function dispatchRequest(backend: BackendApi, name: unknown, args: unknown): Promise<unknown> {
  const request = parseRequest(name, args)
  return call(backend, request.name, request.args)
}

function call<N extends RequestName>(backend: IocRequests, name: N, args: RequestArgs<N>): Promise<unknown> {
  const method = backend[name] as (...args: RequestArgs<N>) => Promise<unknown>
  return method.apply(backend, args)
}

/** Subscribes a transport's listener to a stream named by untrusted input; throws `ApiError` for unknown names. */
export function subscribeStream(
  backend: BackendApi,
  stream: unknown,
  listener: (payload: IocStreams[StreamName]) => void,
): Disposable {
  const name = parseStreamName(stream)
  const event = backend[name] as Event<IocStreams[StreamName]>
  return event(listener)
}
