// What the sandbox answers to an attempt on a card: approve, decline with a code, fail (500)
// or hang. Pure and deterministic: the card's behaviour first, then the expiry, the CVC and the
// amount, first match wins (the order of the table in docs/acquirer.md).
import { cardExpiresAt } from '../../common/clock.js'
import { luhnValid } from '../../common/card-rules.js'
import { behaviourOf } from './test-cards.js'

export type DeclineCode = 'insufficient_funds' | 'do_not_honor' | 'expired_card' | 'incorrect_cvc' | 'incorrect_number' | 'authentication_required' | 'missing_network_transaction_id'

export type Outcome =
  | { kind: 'approve'; cvcCheck: 'pass' | 'unchecked' }
  | { kind: 'decline'; declineCode: DeclineCode }
  | { kind: 'processing_error' }
  | { kind: 'hang' }

export interface Attempt {
  number: string
  expMonth: number
  expYear: number
  cvc?: string | undefined
  /** Minor units; 0 for a verification. */
  amount: number
}

/** Any card that sends this CVC (999, or 9999 for a four-digit CVC) fails the CVC check. */
export const CVC_MISMATCH = /^9{3,4}$/

const decline = (declineCode: DeclineCode): Outcome => ({ kind: 'decline', declineCode })

/**
 * Amounts 2000.xx (200000 + xx minor units) answer with ISO 8583 response code xx, so a
 * single approving card (or token) can reach every outcome.
 */
export const AMOUNT_OUTCOMES: ReadonlyMap<number, Outcome> = new Map([
  [200005, decline('do_not_honor')],
  [200051, decline('insufficient_funds')],
  [200054, decline('expired_card')],
  [200091, { kind: 'hang' }],
  [200096, { kind: 'processing_error' }],
])

/**
 * The acquirer's own definitive refusal of a payout (not the issuer's decline): a card that
 * cannot receive push payments. The attempt is recorded as `failed`; nothing moved.
 */
export type PayoutFailureCode = 'payout_not_supported'

export function payoutFailure(number: string): PayoutFailureCode | undefined {
  return behaviourOf(number) === 'payout_not_supported' ? 'payout_not_supported' : undefined
}

export function decide(attempt: Attempt, now: Date): Outcome {
  if (!luhnValid(attempt.number)) return decline('incorrect_number')
  const behaviour = behaviourOf(attempt.number)
  switch (behaviour) {
    case 'processing_error':
    case 'hang':
      return { kind: behaviour }
    case 'insufficient_funds':
    case 'do_not_honor':
    case 'expired_card':
      return decline(behaviour)
    case 'incorrect_cvc':
      if (attempt.cvc !== undefined) return decline('incorrect_cvc')
      break
    default:
      break
  }
  if (cardExpiresAt(attempt.expMonth, attempt.expYear).getTime() <= now.getTime()) return decline('expired_card')
  if (attempt.cvc !== undefined && CVC_MISMATCH.test(attempt.cvc)) return decline('incorrect_cvc')
  const byAmount = AMOUNT_OUTCOMES.get(attempt.amount)
  if (byAmount) return byAmount
  return { kind: 'approve', cvcCheck: attempt.cvc === undefined ? 'unchecked' : 'pass' }
}
