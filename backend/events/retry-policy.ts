// When a failed webhook is tried again: exponential backoff from 30 s, capped at 12 h, with
// "equal jitter" (each wait is 50-100% of its nominal value, so receivers coming back from an
// outage are not hit by every vault at once), for three days; then the event is `failed`.

export interface RetryPolicy {
  /** Nominal wait after the first failed attempt; it doubles after each further failure. */
  firstDelayMs: number
  /** No nominal wait is longer than this. */
  maxDelayMs: number
  /** How long after creation (or a manual redelivery) automatic attempts go on. */
  deliverForMs: number
  /** Fraction of each wait that is random: 0.5 makes a wait 50-100% of its nominal value. */
  jitter: number
}

const HOUR = 60 * 60 * 1000

export const RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ firstDelayMs: 30_000, maxDelayMs: 12 * HOUR, deliverForMs: 72 * HOUR, jitter: 0.5 })

/** The wait after `failedAttempts` failures (1 for the first), for a `random()` in [0, 1). */
export function retryDelayMs(failedAttempts: number, random: () => number, policy: RetryPolicy = RETRY_POLICY): number {
  const nominal = Math.min(policy.firstDelayMs * 2 ** Math.max(0, failedAttempts - 1), policy.maxDelayMs)
  return Math.round(nominal * (1 - policy.jitter * random()))
}

/**
 * When to try again after a failure at `now`, or null when the retry window has closed. The
 * last attempt falls on the window's end, so an endpoint is tried for the whole three days.
 */
export function nextAttemptAt(now: Date, failedAttempts: number, deliverUntil: Date, random: () => number, policy: RetryPolicy = RETRY_POLICY): Date | null {
  if (now.getTime() >= deliverUntil.getTime()) return null
  const next = now.getTime() + retryDelayMs(failedAttempts, random, policy)
  return new Date(Math.min(next, deliverUntil.getTime()))
}
