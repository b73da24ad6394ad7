// The API's payment and payout objects (DESIGN.md), made from stored rows, and their ids.
import crypto from 'node:crypto'
import type { StoredPayment } from '../store/payments.js'
import type { PaymentKind, PaymentStatus, RecurringType } from '../store/schema.js'

export type Initiator = 'customer' | 'merchant'

/** What a 3-D Secure authentication gave, as the payment shows it. */
export type ThreeDSecureSummary = {
  version: string
  flow: 'frictionless' | 'challenge'
  result: 'authenticated' | 'attempted' | 'failed' | 'unavailable'
  eci: string | null
}

/** What the merchant's page does next: show the challenge (the element's handleNextAction). */
export type NextAction = { type: 'three_d_secure'; url: string; client_secret: string }

/** A type (not an interface) so that it fits the event outbox's open object type. */
export type PaymentObject = {
  object: PaymentKind
  id: string
  status: PaymentStatus
  amount: number
  amount_captured: number
  amount_refunded: number
  currency: string
  token: string | null
  initiator: Initiator
  decline_code?: string
  /** Only on a `failed` payout: why the acquirer refused it. */
  failure_code?: string
  acquirer_reference: string | null
  created_at: string
  recurring?: { type: RecurringType }
  network_transaction_id?: string | null
  three_d_secure?: ThreeDSecureSummary
  next_action?: NextAction
}

const ID_PREFIX: Record<PaymentKind, string> = { payment: 'pay_', payout: 'po_' }

export const newPaymentId = (kind: PaymentKind) => ID_PREFIX[kind] + crypto.randomBytes(12).toString('hex')

/** Ids in paths: anything else cannot be one, so it is simply not found. */
export const isPaymentId = (kind: PaymentKind, id: string) => new RegExp(`^${ID_PREFIX[kind]}[0-9a-f]{24}$`).test(id)

/** `nextAction` for a payment in requires_action, when the caller may see its client secret. */
export function presentPayment(row: StoredPayment, nextAction?: NextAction): PaymentObject {
  const object: PaymentObject = {
    object: row.kind,
    id: row.id,
    status: row.status,
    amount: row.amount,
    amount_captured: row.amount_captured,
    amount_refunded: row.amount_refunded,
    currency: row.currency,
    token: row.token,
    initiator: row.initiator,
    acquirer_reference: row.acquirer_reference,
    created_at: row.created_at,
  }
  if (row.three_d_secure) object.three_d_secure = JSON.parse(row.three_d_secure) as ThreeDSecureSummary
  if (nextAction && row.status === 'requires_action') object.next_action = nextAction
  // decline_code is there exactly when the payment was declined, placed as DESIGN.md lists it;
  // a failed payout's failure_code takes the same place.
  const listed = withReason(withReason(object, 'decline_code', row.decline_code), 'failure_code', row.failure_code)
  // A stored-credential payment (seed 003) also shows its type and network transaction id.
  return row.recurring_type === null ? listed : { ...listed, recurring: { type: row.recurring_type }, network_transaction_id: row.network_transaction_id }
}

function withReason(object: PaymentObject, field: 'decline_code' | 'failure_code', code: string | null): PaymentObject {
  if (code === null) return object
  const { acquirer_reference, created_at, ...head } = object
  return { ...head, [field]: code, acquirer_reference, created_at }
}
