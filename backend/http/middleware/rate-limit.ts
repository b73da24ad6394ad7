// Rate limits by key and by client address (token buckets, in this process's memory): card
// testing from one address, or a runaway integration on one key, gets 429 with Retry-After.
// With several processes each holds its own buckets, so a limit applies per process.
import type { MiddlewareHandler } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Clock } from '../../clock.js'
import { RateLimitError } from '../../errors.js'
import type { AppEnv } from '../env.js'

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
  trustProxy?: boolean
  /** Buckets kept at most; the least recently used go first. */
  maxBuckets?: number
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

export const MAX_BUCKETS = 100_000

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

interface Bucket {
  tokens: number
  at: number
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>()
  constructor(private readonly maxBuckets: number) {}

  /** Takes one token; answers 0 when allowed, else the seconds until one is available. */
  take(key: string, rate: Rate, now: number): number {
    const bucket = this.#buckets.get(key) ?? { tokens: rate.burst, at: now }
    this.#buckets.delete(key)
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond)
    bucket.at = now
    this.#buckets.set(key, bucket)
    if (this.#buckets.size > this.maxBuckets) this.#buckets.delete(this.#buckets.keys().next().value as string)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate.perSecond))
  }
}

export function clientAddress(c: Parameters<MiddlewareHandler<AppEnv>>[0], trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** Runs after authentication: it reads the principal. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const buckets = new TokenBuckets(options.maxBuckets ?? MAX_BUCKETS)
  return async (c, next) => {
    const now = options.clock.now().getTime()
    const principal = c.get('principal')
    let wait = 0
    if (options.perKey) wait = Math.max(wait, buckets.take(`${options.scope}|key|${principal.keyId}`, options.perKey, now))
    if (options.perAddress && principal.kind === 'publishable') {
      wait = Math.max(wait, buckets.take(`${options.scope}|addr|${clientAddress(c, options.trustProxy ?? false)}`, options.perAddress, now))
    }
    if (wait > 0) throw new RateLimitError(wait)
    await next()
  }
}
