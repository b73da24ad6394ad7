// Cancels payments left in requires_action for 15 minutes (the cardholder never finished 3-D
// Secure): status canceled, payment.updated, and the sealed card of the wait destroyed.
import type { ChallengeResults } from '../payments/challenge-result.js'
import type { Job, JobReport } from './scheduler.js'

/** Often enough that a payment is canceled within a minute or so of its 15 minutes. */
export const PAYMENT_ACTION_EXPIRY_DEFAULTS = { intervalMs: 60_000, batchSize: 100 } as const

export class PaymentActionExpiryJob implements Job {
  readonly name = 'payment-action-expiry'
  constructor(private readonly results: ChallengeResults, private readonly batchSize = PAYMENT_ACTION_EXPIRY_DEFAULTS.batchSize) {}

  async run(): Promise<JobReport> {
    let canceled = 0
    for (;;) {
      const n = await this.results.cancelExpired(this.batchSize)
      canceled += n
      if (n < this.batchSize) return { canceled }
    }
  }
}
