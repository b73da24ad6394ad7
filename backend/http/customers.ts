// A customer's saved cards: for the merchant's server (secret key), and for the card field
// through a short-lived customer session (publishable key + session secret, masked cards only).
// The merchant's server makes the sessions: they bind the customer and/or the merchant token
// value the browser may tokenize for, so the browser never names either itself.
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import { AuthenticationError, NotFoundError } from '../errors.js'
import { PAGE_LIMITS, parseLimit } from '../tokens/pages.js'
import { presentSavedCard, presentToken } from '../tokens/present.js'
import type { BoundSession, CustomerSessions } from '../tokens/customer-sessions.js'
import type { TokenSearch } from '../tokens/search.js'
import type { AppEnv } from './env.js'
import { identifier, parseInput } from './validation.js'

export interface CustomerRouteDeps {
  search: TokenSearch
  sessions: CustomerSessions
  anyKey: MiddlewareHandler<AppEnv>
  secretKey: MiddlewareHandler<AppEnv>
  /** Runs after authentication on the customer-session card list. */
  sessionListLimit: MiddlewareHandler<AppEnv>
}

export const CUSTOMER_SESSION_HEADER = 'Tessera-Customer-Session'

export const customerTokensQuery = v.strictObject({
  limit: v.optional(v.string()),
  cursor: v.optional(v.string()),
  status: v.optional(v.picklist(['active', 'revoked', 'expired', 'invalid'])),
})

export const sessionBody = v.strictObject({
  customer_id: v.optional(identifier),
  token: v.optional(v.pipe(v.string(), v.maxLength(256))),
})

/** The customer session a request carries in its header, resolved for its key; undefined without one. */
export async function requestSession(c: Context<AppEnv>, sessions: CustomerSessions): Promise<BoundSession | undefined> {
  const secret = c.req.header(CUSTOMER_SESSION_HEADER)
  if (!secret) return undefined
  return sessions.resolve(c.get('principal'), secret)
}

export function customerRoutes(deps: CustomerRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/customers/:id/tokens', deps.secretKey, async (c) => {
    const customerId = c.req.param('id')
    if (!v.is(identifier, customerId)) throw new NotFoundError('customer_not_found', 'No such customer.', 'id')
    const query = parseInput(customerTokensQuery, c.req.query())
    const page = await deps.search.search(c.get('principal'), { customerId, status: query.status, limit: parseLimit(query.limit), cursor: query.cursor }, presentToken)
    return c.json(page)
  })

  app.post('/customer-sessions', deps.secretKey, async (c) => {
    const body = parseInput(sessionBody, c.get('body'))
    return c.json(await deps.sessions.create(c.get('principal'), { customerId: body.customer_id, token: body.token }), 201)
  })

  app.get('/customer-sessions/tokens', deps.anyKey, deps.sessionListLimit, async (c) => {
    const session = await requestSession(c, deps.sessions)
    if (!session) throw new AuthenticationError('missing_customer_session', `Send the customer session's client secret in ${CUSTOMER_SESSION_HEADER}.`)
    // A session bound to a token value only has no customer, so no saved cards.
    if (session.customerId === undefined) return c.json({ object: 'list', data: [], has_more: false, next_cursor: null })
    // One page of up to 100 cards: enough to choose from; the session is not for paging.
    const page = await deps.search.search(c.get('principal'), { customerId: session.customerId, status: 'active', limit: PAGE_LIMITS.max }, (row) => ({
      fingerprint: row.fingerprint,
      saved: presentSavedCard(row),
    }))
    // The same card saved twice (two checkouts that each saved it) is listed once, as its first
    // token in the search's order; the fingerprint itself never leaves the vault here.
    const seen = new Set<string>()
    const data = page.data.filter((entry) => !seen.has(entry.fingerprint) && seen.add(entry.fingerprint)).map((entry) => entry.saved)
    return c.json({ ...page, data, next_cursor: null })
  })

  return app
}
