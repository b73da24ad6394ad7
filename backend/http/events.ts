// Event routes: the project's event log (secret key), redelivery by hand, and the public
// JWKS that webhook signatures verify against.
import { Hono, type MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import type { Context } from 'hono'
import { NotFoundError } from '../errors.js'
import type { EventLog } from '../events/event-log.js'
import type { WebhookKeyRing } from '../events/signing-keys.js'
import { EVENT_TYPES } from '../events/types.js'
import { parseLimit } from '../tokens/pages.js'
import type { AppEnv } from './env.js'
import { parseInput } from './validation.js'

export interface EventRouteDeps {
  events: EventLog
  secretKey: MiddlewareHandler<AppEnv>
}

const TYPE_FILTERS = [...EVENT_TYPES, 'token.*', 'payment.*', 'payout.*'] as const

export const eventListQuery = v.strictObject({
  limit: v.optional(v.string()),
  cursor: v.optional(v.string()),
  type: v.optional(v.picklist(TYPE_FILTERS)),
  delivery_status: v.optional(v.picklist(['pending', 'delivered', 'failed', 'skipped'])),
})

function eventParam(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? ''
  if (!/^evt_[0-9a-f]{24}$/.test(id)) throw new NotFoundError('event_not_found', 'No such event.', 'id')
  return id
}

export function eventRoutes(deps: EventRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/', deps.secretKey, async (c) => {
    const query = parseInput(eventListQuery, c.req.query())
    return c.json(await deps.events.list(c.get('principal'), { type: query.type, deliveryStatus: query.delivery_status, limit: parseLimit(query.limit), cursor: query.cursor }))
  })

  app.get('/:id', deps.secretKey, async (c) => c.json(await deps.events.get(c.get('principal'), eventParam(c))))

  app.post('/:id/redeliver', deps.secretKey, async (c) => c.json(await deps.events.redeliver(c.get('principal'), eventParam(c))))

  return app
}

export function webhookKeyRoutes(keys: WebhookKeyRing): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/webhook-keys', async (c) => {
    c.header('Access-Control-Allow-Origin', '*')
    // Receivers refetch on an unknown kid; a rotated-out key stays published for a week.
    c.header('Cache-Control', 'public, max-age=300')
    return c.json(await keys.jwks())
  })
  return app
}
