// How a try on a payment page ends, from what the payment code answered: completed, a decline
// (the page stays open until the third, then fails), or still waiting for the cardholder.
import type { PaymentObject } from '../payments/payment.js'
import type { PageEnd, StoredPaymentPage } from '../store/payment-pages.js'
import { MAX_DECLINES } from './page.js'

/** What a try produced: a token (tokenize page) and/or a payment, or the id of a declined payment. */
export type TryResult = { token: string | null; payment?: PaymentObject } | { declined: string | null }

export type Ending = { kind: 'end'; end: PageEnd } | { kind: 'pending'; paymentId: string }

/** Statuses a payment may not leave by itself: anything else is still being decided. */
const NOT_PAID = new Set(['declined', 'canceled'])

export function endingOf(page: StoredPaymentPage, result: TryResult, now: Date): Ending {
  const at = now.toISOString()
  if ('declined' in result) return { kind: 'end', end: declined(page, result.declined, at) }
  const { payment } = result
  if (payment === undefined) return { kind: 'end', end: { status: 'completed', declines: page.declines, token: result.token, payment_id: null, completed_at: at } }
  if ((payment.status as string) === 'requires_action') return { kind: 'pending', paymentId: payment.id }
  if (NOT_PAID.has(payment.status)) return { kind: 'end', end: declined(page, payment.id, at) }
  return { kind: 'end', end: { status: 'completed', declines: page.declines, token: payment.token, payment_id: payment.id, completed_at: at } }
}

function declined(page: StoredPaymentPage, paymentId: string | null, at: string): PageEnd {
  const declines = page.declines + 1
  return declines >= MAX_DECLINES
    ? { status: 'failed', declines, token: null, payment_id: paymentId, completed_at: at }
    : { status: 'open', declines, token: null, payment_id: paymentId, completed_at: null }
}
