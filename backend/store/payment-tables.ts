// The payment tables' kysely types (payments and payouts, hosted payment pages, payments waiting
// for their cardholder), a part of schema.ts, which re-exports them: import them from there.
import type { ColumnType } from 'kysely'
import type { Mode } from './schema.js'

export type PaymentKind = 'payment' | 'payout'
export type PaymentStatus = 'requires_action' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'declined' | 'canceled' | 'paid' | 'failed'

/** Minor units in a bigint column: PostgreSQL's driver reads those as strings, so read through Number(). */
export type MinorUnits = ColumnType<number | string, number, number>

/** Payments and payouts: amounts, state and the acquirer's reference; never card data. */
export interface PaymentTable {
  id: string
  project_id: string
  mode: Mode
  kind: PaymentKind
  status: PaymentStatus
  amount: MinorUnits
  amount_captured: MinorUnits
  amount_refunded: MinorUnits
  currency: string
  /** The token paid with or saved by the payment; null for a card payment that saved nothing. */
  token: string | null
  initiator: 'customer' | 'merchant'
  decline_code: string | null
  acquirer_reference: string | null
  /** The vault request's Idempotency-Key and request hash, so a retried decline answers the same. */
  idempotency_key: string | null
  request_hash: string | null
  /** JSON {version, flow, result, eci} once a 3-D Secure authentication ran, else null. */
  three_d_secure: ColumnType<string | null, string | null | undefined, string | null>
  /** The acquirer's authentication id, when one ran. */
  authentication_reference: ColumnType<string | null, string | null | undefined, string | null>
  created_at: string
  updated_at: string
  /** `unscheduled`, `recurring` or `installment` for a stored-credential payment (migration 0014). */
  recurring_type: ColumnType<RecurringType | null, RecurringType | null | undefined, RecurringType | null>
  /** The acquirer's network transaction id: received (first payment) or sent (later ones). */
  network_transaction_id: ColumnType<string | null, string | null | undefined, string | null>
  /** A `failed` payout's reason: the acquirer's code for its definitive refusal (migration 0015). */
  failure_code: ColumnType<string | null, string | null | undefined, string | null>
}

export type RecurringType = 'unscheduled' | 'recurring' | 'installment'
export type PaymentPageMode = 'tokenize' | 'purchase'
/** `expired` is never stored: an open page past its `expires_at` reads as expired. */
export type PaymentPageStatus = 'open' | 'completed' | 'failed'

/** A hosted payment page: the merchant's request, the page secret's hash and how it ended. */
export interface PaymentPageTable {
  id: string
  project_id: string
  mode: Mode
  key_id: string
  page_mode: PaymentPageMode
  status: PaymentPageStatus
  customer_id: string | null
  amount: MinorUnits | null
  currency: string | null
  /** Booleans as 0/1 integers on both databases. */
  capture: number
  save_card: number
  locale: string | null
  return_url: string
  cancel_url: string | null
  secret_hash: string | null
  locked_until: string | null
  declines: number
  token: string | null
  payment_id: string | null
  created_at: string
  expires_at: string
  completed_at: string | null
}

/** What a payment waiting for its cardholder (requires_action) needs to go on; deleted when it ends. */
export interface PaymentActionTable {
  payment_id: string
  project_id: string
  mode: Mode
  authentication_reference: string
  transaction_id: string
  version: string
  challenge_url: string
  action_url: string
  capture: number
  card_data_key_id: string | null
  card_ciphertext: string | null
  exp_month: number | null
  exp_year: number | null
  holder_name: string | null
  save_card: number
  customer_id: string | null
  key_id: string
  request_id: string | null
  lease_until: string | null
  expires_at: string
  created_at: string
}
