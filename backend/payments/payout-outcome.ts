// What the acquirer's answer to a payout means (docs/payments.md, "Failed payouts"): paid; declined
// by the issuer; failed (the acquirer answered and refused it for good: recorded, `payout.failed`);
// or unknown (no definitive answer: the money may have moved, so nothing is recorded as failed
// and the merchant is told to retry under the same Idempotency-Key).
import { AcquirerRejectedError, AcquirerTimeoutError, AcquirerUnavailableError } from '../acquirer/client.js'
import type { Outcome } from './recording.js'
import { decided } from './three-d-secure.js'

/**
 * Refusals that do not say the payout will never happen: 408 and 425 (try again), 429 (too many
 * requests), and 409 (the acquirer's idempotency key was used before with another body, so a
 * payout may exist under it). Every other 4xx answer is the acquirer's definitive refusal.
 * (The HTTP client already reports 401/403 and 408/425/429 as unavailable; the three stay here
 * for any other AcquirerClient that reports them as refusals.)
 */
const NOT_FINAL = new Set([408, 409, 425, 429])

/** A failure code is stored and shown: the acquirer's own code when it looks like one. */
const FAILURE_CODE = /^[a-z][a-z0-9_]{0,63}$/

export const UNKNOWN_PAYOUT_MESSAGES = {
  unavailable: 'The card acquirer gave no definitive answer: the payout may or may not have been made. Retry with the same Idempotency-Key; the acquirer then answers the first attempt instead of paying out twice.',
  timeout: 'The card acquirer did not answer in time: the payout may or may not have been made. Retry with the same Idempotency-Key; the acquirer then answers the first attempt instead of paying out twice.',
} as const

/** Runs the acquirer's payout call and turns its answer into an outcome; an unknown outcome is thrown. */
export function payoutOutcome(call: () => Promise<Outcome>): Promise<Outcome> {
  return decided(async () => {
    try {
      return await call()
    } catch (error) {
      if (error instanceof AcquirerRejectedError && !NOT_FINAL.has(error.status)) {
        return { kind: 'failed', failureCode: FAILURE_CODE.test(error.acquirerCode) ? error.acquirerCode : 'acquirer_rejected', reference: error.reference ?? null }
      }
      // Same codes as every acquirer fault, with a message that says what is at stake.
      if (error instanceof AcquirerTimeoutError) throw new AcquirerTimeoutError(error.timeoutMs, UNKNOWN_PAYOUT_MESSAGES.timeout)
      if (error instanceof AcquirerUnavailableError) throw new AcquirerUnavailableError(error.detail, UNKNOWN_PAYOUT_MESSAGES.unavailable)
      throw error
    }
  })
}
