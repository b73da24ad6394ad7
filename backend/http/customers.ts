// A customer's saved cards: for the merchant's server (secret key), and for the card field
// through a short-lived customer session (publishable key + session secret, masked cards only).
import { Hono, type MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import { AuthenticationError, NotFoundError } from '../errors.js'
import { PAGE_LIMITS, parseLimit } from '../tokens/pages.js'
import { presentSavedCard, presentToken } from '../tokens/present.js'
import type { TokenSearch } from '../tokens/search.js'
import type { AppEnv } from './env.js'
import { identifier, parseInput } from './validation.js'

export interface CustomerRouteDeps {
  search: TokenSearch
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

export const sessionBody = v.strictObject({ customer_id: identifier })

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
    return c.json(await deps.search.createCustomerSession(c.get('principal'), body.customer_id), 201)
  })

  app.get('/customer-sessions/tokens', deps.anyKey, deps.sessionListLimit, async (c) => {
    const secret = c.req.header(CUSTOMER_SESSION_HEADER)
    if (!secret) throw new AuthenticationError('missing_customer_session', `Send the customer session's client secret in ${CUSTOMER_SESSION_HEADER}.`)
    const principal = c.get('principal')
    const customerId = await deps.search.customerOfSession(principal, secret)
    // One page of up to 100 cards: enough to choose from; the session is not for paging.
    const page = await deps.search.search(principal, { customerId, status: 'active', limit: PAGE_LIMITS.max }, presentSavedCard)
    return c.json({ ...page, next_cursor: null })
  })

  return app
}
