// JSON answers the vault makes itself, with every header they will leave with (content type,
// Request-Id, the security headers) in one plain object: the node server writes it as it is,
// instead of the answer being built with one set and completed header by header afterwards.
// completeAnswer (run by the edge middleware) gives any other answer the same set.
import type { Context } from 'hono'
import type { AppEnv } from './env.js'
import { REQUEST_ID_HEADER } from './middleware/request-id.js'
import { API_HEADERS, secureAnswer } from './middleware/security-headers.js'

/**
 * Marks an answer made by jsonAnswer: its headers are complete. A property of the answer, not a
 * WeakSet of answers: every WeakSet entry is an ephemeron each garbage collection must trace.
 */
const COMPLETE = Symbol('tessera.answer-complete')
type Marked = Response & { [COMPLETE]?: true }

/** `body` as JSON with `status`, its headers complete; the same as `c.json` and the edge middleware give. */
export function jsonAnswer(c: Context<AppEnv>, body: unknown, status = 200): Response {
  const headers = { ...(c.get('https') ? API_HEADERS.https : API_HEADERS.http), 'content-type': 'application/json', 'request-id': c.get('requestId') }
  const res: Marked = new Response(JSON.stringify(body), { status, headers })
  res[COMPLETE] = true
  return res
}

/** Gives the answer the request id and the security headers, unless jsonAnswer made it. */
export function completeAnswer(c: Context<AppEnv>): void {
  const res: Marked = c.res
  if (res[COMPLETE]) return
  const h = res.headers
  h.set(REQUEST_ID_HEADER, c.get('requestId'))
  secureAnswer(h, c.get('https'), c.get('agentClusterByBrowser') !== true)
}
