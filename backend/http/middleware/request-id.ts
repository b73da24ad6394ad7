// Gives every request an id, echoed in the `Request-Id` header of every response: Hono's
// requestId, with the vault's own ids only. A client's `Request-Id` is never taken over
// (limitLength 0): the id goes into logs and the audit chain, where a client must not write.
import crypto from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { requestId as honoRequestId } from 'hono/request-id'
import type { AppEnv } from '../env.js'

export const REQUEST_ID_HEADER = 'Request-Id'

export const newRequestId = (): string => 'req_' + crypto.randomBytes(12).toString('hex')

export function requestId(): MiddlewareHandler<AppEnv> {
  const hono = honoRequestId({ headerName: REQUEST_ID_HEADER, limitLength: 0, generator: newRequestId })
  // Hono's header goes only onto responses the context builds; a replayed idempotent answer is
  // a plain Response, so the header is set again on whatever answered.
  return (c, next) =>
    hono(c, async () => {
      await next()
      c.res.headers.set(REQUEST_ID_HEADER, c.get('requestId'))
    }) as Promise<void>
}
