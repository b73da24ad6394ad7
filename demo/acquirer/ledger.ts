// The sandbox's books: authorizations (with their captures and refunds), payouts and
// verifications, kept in memory only (a restart forgets them). Records hold the brand and the
// last four digits, never the number. Capture and refund check amounts and states here.
import { randomBytes } from 'node:crypto'
import { brandOf } from '../../common/card-rules.js'
import { invalidRequest, invalidState, notFound } from './errors.js'

export interface CardSummary {
  brand: string
  last4: string
  exp_month: number
  exp_year: number
}

export type AuthorizationStatus = 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'declined' | 'canceled'

export interface AuthorizationRecord {
  object: 'authorization'
  id: string
  status: AuthorizationStatus
  amount: number
  amount_captured: number
  amount_refunded: number
  currency: string
  initiator: 'customer' | 'merchant'
  cvc_check: 'pass' | 'unchecked' | null
  decline_code: string | null
  /** A stored-credential payment's type, or null. */
  recurring_type: 'unscheduled' | 'recurring' | 'installment' | null
  /** Issued to an approved customer-initiated stored-credential payment; echoed for merchant-initiated ones. */
  network_transaction_id: string | null
  card: CardSummary
  created_at: string
}

export interface PayoutRecord {
  object: 'payout'
  id: string
  status: 'paid' | 'declined' | 'failed'
  amount: number
  currency: string
  decline_code: string | null
  /** Why a `failed` payout did not happen (the acquirer's own refusal, not the issuer's). */
  failure_code: string | null
  card: CardSummary
  created_at: string
}

export interface VerificationRecord {
  object: 'verification'
  id: string
  status: 'approved' | 'declined'
  /** The currency the card was verified for, when the caller named one. */
  currency: string | null
  cvc_check: 'pass' | 'unchecked' | null
  decline_code: string | null
  card: CardSummary
  created_at: string
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`
}

export function summarize(card: { number: string; exp_month: number; exp_year: number }): CardSummary {
  return { brand: brandOf(card.number).brand, last4: card.number.slice(-4), exp_month: card.exp_month, exp_year: card.exp_year }
}

const amountTooLarge = (limit: number, what: string) =>
  invalidRequest('amount_too_large', `The amount exceeds the ${limit} that may still be ${what}.`, 'amount')

export class Ledger {
  readonly #authorizations = new Map<string, AuthorizationRecord>()
  readonly #payouts = new Map<string, PayoutRecord>()
  readonly #verifications = new Map<string, VerificationRecord>()

  addAuthorization(record: AuthorizationRecord): AuthorizationRecord {
    this.#authorizations.set(record.id, record)
    return record
  }

  addPayout(record: PayoutRecord): PayoutRecord {
    this.#payouts.set(record.id, record)
    return record
  }

  addVerification(record: VerificationRecord): VerificationRecord {
    this.#verifications.set(record.id, record)
    return record
  }

  /** Every verification, newest first. */
  verifications(): VerificationRecord[] {
    return [...this.#verifications.values()].reverse()
  }

  authorization(id: string): AuthorizationRecord {
    const record = this.#authorizations.get(id)
    if (!record) throw notFound('No such authorization.', 'id')
    return record
  }

  get size(): { authorizations: number; payouts: number; verifications: number } {
    return { authorizations: this.#authorizations.size, payouts: this.#payouts.size, verifications: this.#verifications.size }
  }

  /** One capture per authorization, up to the authorized amount; the rest is released. */
  capture(id: string, amount: number | undefined): AuthorizationRecord {
    const record = this.authorization(id)
    if (record.status !== 'authorized') throw invalidState(`An authorization that is ${record.status} cannot be captured.`)
    const take = amount ?? record.amount
    if (take > record.amount) throw amountTooLarge(record.amount, 'captured')
    record.amount_captured = take
    record.status = 'captured'
    return record
  }

  /** Voids an authorization not captured (a repeat answers the same); the hold is released. */
  void(id: string): AuthorizationRecord {
    const record = this.authorization(id)
    if (record.status === 'canceled') return record
    if (record.status !== 'authorized') throw invalidState(`An authorization that is ${record.status} cannot be voided.`)
    record.status = 'canceled'
    return record
  }

  /** Any number of refunds, together up to the captured amount. */
  refund(id: string, amount: number | undefined): AuthorizationRecord {
    const record = this.authorization(id)
    if (record.status !== 'captured' && record.status !== 'partially_refunded') {
      throw invalidState(`An authorization that is ${record.status} cannot be refunded.`)
    }
    const refundable = record.amount_captured - record.amount_refunded
    const give = amount ?? refundable
    if (give > refundable) throw amountTooLarge(refundable, 'refunded')
    record.amount_refunded += give
    record.status = record.amount_refunded === record.amount_captured ? 'refunded' : 'partially_refunded'
    return record
  }
}
