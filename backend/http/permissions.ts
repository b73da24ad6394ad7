// The one table of what a restricted key (`rk_`) needs for each secret-key route. A route the
// table does not name is refused to every restricted key (fail closed); a test walks the app's
// routes so that a new secret-key route cannot ship without its line here.
import type { Permission } from '../projects/project.js'

/** `METHOD /full/route/path` → the permission a restricted key must hold. */
export const ROUTE_PERMISSIONS: Readonly<Record<string, Permission>> = Object.freeze({
  'POST /v1/tokens': 'tokens:write',
  'POST /v1/tokens/search': 'tokens:read',
  'GET /v1/tokens/:token': 'tokens:read',
  'PATCH /v1/tokens/:token': 'tokens:write',
  'DELETE /v1/tokens/:token': 'tokens:write',
  'POST /v1/tokens/:token/revoke': 'tokens:write',
  'POST /v1/tokens/:token/extend': 'tokens:write',
  'POST /v1/tokens/:token/verify': 'tokens:write',
  'POST /v1/tokens/:token/refresh': 'tokens:write',
  'GET /v1/customers/:id/tokens': 'customers:read',
  // A customer session lets a browser tokenize for that customer: a write, not a read.
  'POST /v1/customer-sessions': 'tokens:write',
  'GET /v1/customer-sessions/tokens': 'customers:read',
  'GET /v1/payments': 'payments:read',
  'POST /v1/payments': 'payments:write',
  'GET /v1/payments/:id': 'payments:read',
  'POST /v1/payments/:id/capture': 'payments:write',
  'POST /v1/payments/:id/refund': 'payments:write',
  'POST /v1/payments/:id/cancel': 'payments:write',
  'POST /v1/payouts': 'payments:write',
  'GET /v1/payouts': 'payments:read',
  'GET /v1/payouts/:id': 'payments:read',
  'POST /v1/payment-pages': 'payments:write',
  'GET /v1/payment-pages/:id': 'payments:read',
  'GET /v1/events': 'events:read',
  'GET /v1/events/:id': 'events:read',
  // Redelivery sends an event the key may read to the project's own webhook URL again.
  'POST /v1/events/:id/redeliver': 'events:read',
  'GET /v1/audit-events': 'audit:read',
})

export function requiredPermission(method: string, routePath: string): Permission | undefined {
  return ROUTE_PERMISSIONS[`${method.toUpperCase()} ${routePath}`]
}
