// GET /v1/audit-events: the project's audit chain for its mode (secret key), paged, filtered.
import { Hono, type MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import { AUDIT_ACTIONS } from '../audit/chain.js'
import type { AuditLog } from '../audit/log.js'
import { parseLimit } from '../tokens/pages.js'
import type { AppEnv } from './env.js'
import { isoDateTime, parseInput } from './validation.js'

export interface AuditRouteDeps {
  audit: AuditLog
  secretKey: MiddlewareHandler<AppEnv>
}

// A restricted key needs `audit:read` (backend/http/permissions.ts, checked by secretKey).
export const auditListQuery = v.strictObject({
  limit: v.optional(v.string()),
  cursor: v.optional(v.string()),
  token: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
  action: v.optional(v.picklist(AUDIT_ACTIONS)),
  created_gte: v.optional(isoDateTime),
  created_lt: v.optional(isoDateTime),
})

/** Stored times are `toISOString()` strings: a filter is compared in the same form. */
const instant = (value: string | undefined) => (value === undefined ? undefined : new Date(value).toISOString())

export function auditRoutes(deps: AuditRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/', deps.secretKey, async (c) => {
    const query = parseInput(auditListQuery, c.req.query())
    const page = await deps.audit.list(c.get('principal'), {
      token: query.token,
      action: query.action,
      createdGte: instant(query.created_gte),
      createdLt: instant(query.created_lt),
      limit: parseLimit(query.limit),
      cursor: query.cursor,
    })
    return c.json(page)
  })
  return app
}
