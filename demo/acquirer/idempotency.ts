// Idempotency-Key on the sandbox's POSTs, in memory: the same key and request give the first
// answer again (marked Idempotent-Replayed); the same key with another request is a 409.
// Successes and the errors that name a record they made (a decline, a failed payout: `reference`)
// are kept, because both are outcomes a retry must not change; a 5xx or a refused request keeps
// nothing, so it may be retried with the same key.
import { createHash } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { Clock } from '../../common/clock.js'
import { idempotencyConflict, invalidRequest } from './errors.js'

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

interface Entry {
  hash: string
  expiresAt: number
  answer?: { status: number; body: string }
}

/** A success, or an error that names the record it made (a decline, a failed payout): both are outcomes. */
function kept(status: number, body: string): boolean {
  if (status >= 200 && status < 300) return true
  try {
    return typeof (JSON.parse(body) as { error?: { reference?: unknown } }).error?.reference === 'string'
  } catch {
    return false
  }
}

export function idempotency(clock: Clock, ttlMs = IDEMPOTENCY_TTL_MS): MiddlewareHandler {
  const entries = new Map<string, Entry>()
  const sweep = (now: number) => {
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key)
  }
  return async (c, next) => {
    const key = c.req.header('idempotency-key')
    if (c.req.method !== 'POST' || key === undefined) return next()
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw invalidRequest('invalid_idempotency_key', 'An Idempotency-Key is 1-255 printable ASCII characters.')
    // The hash stands for the body, which holds a card number: only the hash is kept.
    const hash = createHash('sha256').update(`${c.req.path}\n${await c.req.text()}`).digest('hex')
    const now = clock.now().getTime()
    sweep(now)
    const existing = entries.get(key)
    if (existing) {
      if (existing.hash !== hash) throw idempotencyConflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request.')
      if (!existing.answer) throw idempotencyConflict('idempotency_in_progress', 'A request with this Idempotency-Key is still in progress.')
      return new Response(existing.answer.body, {
        status: existing.answer.status,
        headers: { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' },
      })
    }
    const entry: Entry = { hash, expiresAt: now + ttlMs }
    entries.set(key, entry)
    try {
      await next()
    } finally {
      const text = await c.res.clone().text()
      if (kept(c.res.status, text)) entry.answer = { status: c.res.status, body: text }
      else entries.delete(key)
    }
  }
}
