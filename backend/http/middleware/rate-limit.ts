// Rate limits by key and by client address (token buckets): card testing from one address, or a
// runaway integration on one key, gets 429 with Retry-After. The buckets live in the database,
// so every process of a vault (workers, hosts) shares them: N processes do not make a limit N
// times larger. docs/scaling.md has the measured cost.
import type { MiddlewareHandler } from 'hono'
import type { Kysely } from 'kysely'
import type { Clock } from '../../clock.js'
import { RateLimitError } from '../../errors.js'
import { pruneBuckets, takeTokens, type BucketAnswer, type BucketTake } from '../../store/rate-limits.js'
import type { Database } from '../../store/schema.js'
import type { AppEnv } from '../env.js'
import { clientAddress } from './client-address.js'

export interface Rate {
  /** Requests per second refilled. */
  perSecond: number
  /** How many may come at once. */
  burst: number
}

export interface RateLimitOptions {
  clock: Clock
  /** A name that separates this limit's buckets from another's. */
  scope: string
  perKey?: Rate | null
  /** Applied to publishable-key (browser) requests; a server's secret-key calls share one address. */
  perAddress?: Rate | null
  /** How many proxies in front of the vault write X-Forwarded-For (TESSERA_TRUST_PROXY); 0 uses the connection's address. */
  trustProxy?: number
  buckets: BucketStore
}

export interface RateLimits {
  tokenize: { perKey: Rate | null; perAddress: Rate | null }
  customerSessionList: { perKey: Rate | null; perAddress: Rate | null }
}

export const RATE_LIMIT_DEFAULTS: RateLimits = Object.freeze({
  // A whole shop's checkouts share one publishable key: generous per key, strict per address
  // (20 cards at once, then one every two seconds), which is what slows card testing.
  tokenize: { perKey: { perSecond: 200, burst: 400 }, perAddress: { perSecond: 0.5, burst: 20 } },
  customerSessionList: { perKey: { perSecond: 100, burst: 200 }, perAddress: { perSecond: 1, burst: 30 } },
})

/** Reads TESSERA_RATE_LIMITS (JSON, the shape of RATE_LIMIT_DEFAULTS, any part of it; null turns a limit off). */
export function rateLimitsFrom(json: string | undefined): RateLimits {
  if (!json) return RATE_LIMIT_DEFAULTS
  const given = JSON.parse(json) as Partial<Record<keyof RateLimits, Partial<RateLimits['tokenize']>>>
  const merged = structuredClone(RATE_LIMIT_DEFAULTS) as RateLimits
  for (const scope of ['tokenize', 'customerSessionList'] as const) {
    for (const kind of ['perKey', 'perAddress'] as const) {
      const rate = given[scope]?.[kind]
      if (rate === undefined) continue
      if (rate !== null && !(rate.perSecond > 0 && rate.burst >= 1)) throw new Error(`TESSERA_RATE_LIMITS.${scope}.${kind} needs perSecond > 0 and burst >= 1`)
      merged[scope][kind] = rate
    }
  }
  return merged
}

/** Where buckets live: the database by default (shared by every process), anything else in a test. */
export interface BucketStore {
  take(takes: BucketTake[], now: number): Promise<BucketAnswer[]>
}

/** The database's bucket table, with refilled buckets pruned now and then. */
export function databaseBuckets(db: Kysely<Database>): BucketStore {
  let prunedAt = Number.NEGATIVE_INFINITY
  return {
    take(takes, now) {
      if (now - prunedAt >= PRUNE_INTERVAL_MS) {
        prunedAt = now
        // Housekeeping, off the request's path: a failure only leaves rows for the next try.
        void pruneBuckets(db, now).catch(() => undefined)
      }
      return takeTokens(db, takes, now)
    },
  }
}

/** How often a process deletes buckets that have refilled (they mean the same as no row). */
export const PRUNE_INTERVAL_MS = 60_000

const bucketTake = (key: string, rate: Rate): BucketTake => ({ key, emissionMs: 1000 / rate.perSecond, toleranceMs: (rate.burst - 1) * (1000 / rate.perSecond) })

/** Runs after authentication: it reads the principal. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal')
    // The key's bucket first, then the address's: every statement locks rows in that order.
    const takes: BucketTake[] = []
    if (options.perKey) takes.push(bucketTake(`${options.scope}|key|${principal.keyId}`, options.perKey))
    if (options.perAddress && principal.kind === 'publishable') takes.push(bucketTake(`${options.scope}|addr|${clientAddress(c, options.trustProxy ?? 0)}`, options.perAddress))
    if (takes.length > 0) {
      const answers = await options.buckets.take(takes, options.clock.now().getTime())
      const waitMs = Math.max(0, ...answers.map((a) => (a.allowed ? 0 : a.waitMs)))
      if (answers.some((a) => !a.allowed)) throw new RateLimitError(Math.max(1, Math.ceil(waitMs / 1000)))
    }
    await next()
  }
}
