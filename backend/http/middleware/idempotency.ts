// Idempotency-Key on every POST, payments included: the same key and body give the first
// answer again; the same key with another body is a 409. Keys are scoped by project, mode and
// the API key that sent them, so a browser's publishable key can never answer or block a
// server's request. Kept are successes and the answers that are final although they are errors
// (a payment's decline, a payout's failure: the attempt is recorded, so a retry must name the
// same payment, not try again); any other failure stores nothing, so it may be retried with the same key. The request
// is hashed once, here; routes read `requestHash`.
import crypto from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { Kysely } from 'kysely'
import type { Clock } from '../../clock.js'
import { IdempotencyError, InvalidRequestError } from '../../errors.js'
import { claimIdempotency, completeIdempotency, findIdempotency, releaseIdempotency, type IdempotencyScope } from '../../store/idempotency.js'
import type { Database } from '../../store/schema.js'
import { PaymentDeclinedError, PayoutFailedError } from '../../payments/errors.js'
import type { AppEnv } from '../env.js'

export const IDEMPOTENCY_DEFAULTS = {
  ttlMs: 24 * 60 * 60 * 1000,
  /** A claim still pending after this long belongs to a process that died: it is released. */
  pendingLeaseMs: 60_000,
} as const

export interface IdempotencyOptions {
  db: Kysely<Database>
  clock: Clock
  ttlMs?: number
}

function replay(record: { request_hash: string; state: string; response_status: number | null; response_body: string | null }, hash: string): Response {
  if (record.request_hash !== hash) throw new IdempotencyError('idempotency_key_reused', 'This Idempotency-Key was used with a different request.')
  if (record.state !== 'done') throw new IdempotencyError('idempotency_in_progress', 'A request with this Idempotency-Key is still in progress.')
  return new Response(record.response_body, {
    status: record.response_status ?? 200,
    headers: { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' },
  })
}

/** An error that is the request's outcome, not its failure: replayed like a success. */
const isFinalAnswer = (error: unknown) => error instanceof PaymentDeclinedError || error instanceof PayoutFailedError

export function idempotency(options: IdempotencyOptions): MiddlewareHandler<AppEnv> {
  const ttl = options.ttlMs ?? IDEMPOTENCY_DEFAULTS.ttlMs
  return async (c, next) => {
    const key = c.req.header('idempotency-key')
    if (c.req.method !== 'POST' || key === undefined) return next()
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new InvalidRequestError('invalid_idempotency_key', 'An Idempotency-Key is 1-255 printable ASCII characters.')
    const principal = c.get('principal')
    const scope: IdempotencyScope = { projectId: principal.project.id, mode: principal.mode, keyId: principal.keyId, key }
    const hash = crypto.createHash('sha256').update(`${c.req.method} ${c.req.path}\n${c.get('rawBody')}`).digest('hex')
    c.set('requestHash', hash)
    const now = options.clock.now()
    const existing = await findIdempotency(options.db, scope)
    const abandoned = existing?.state === 'pending' && existing.created_at < new Date(now.getTime() - IDEMPOTENCY_DEFAULTS.pendingLeaseMs).toISOString()
    if (existing && existing.expires_at > now.toISOString() && !abandoned) return replay(existing, hash)
    if (existing) await releaseIdempotency(options.db, scope)
    if ((await claimIdempotency(options.db, scope, hash, now.toISOString(), new Date(now.getTime() + ttl).toISOString())) === 'conflict') {
      // Another request claimed the key a moment ago (or finished with it).
      const winner = await findIdempotency(options.db, scope)
      if (winner) return replay(winner, hash)
      throw new IdempotencyError('idempotency_in_progress', 'A request with this Idempotency-Key is still in progress.')
    }
    try {
      await next()
    } finally {
      if ((c.res.status >= 200 && c.res.status < 300) || isFinalAnswer(c.error)) {
        await completeIdempotency(options.db, scope, c.res.status, await c.res.clone().text())
      } else {
        await releaseIdempotency(options.db, scope)
      }
    }
  }
}
