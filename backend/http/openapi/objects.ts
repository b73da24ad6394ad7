// The API's answers as valibot schemas, for the OpenAPI document (responses are built by the
// presenters in tokens/, payments/ and events/; test/integration/vault/openapi.test.ts checks
// real answers against these schemas, so the two cannot drift apart unnoticed).
import * as v from 'valibot'
import { ERROR_CODES, ERROR_TYPES, type ErrorCode } from '../../../common/error-codes.js'
import { AUDIT_ACTIONS } from '../../audit/chain.js'
import { EVENT_TYPES } from '../../events/types.js'

const timestamp = v.pipe(v.string(), v.isoTimestamp())
const mode = v.picklist(['test', 'live'])

export const ErrorCodeSchema = v.picklist(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]])

export const ErrorObject = v.object({
  error: v.object({
    type: v.picklist(ERROR_TYPES),
    code: ErrorCodeSchema,
    message: v.string(),
    param: v.optional(v.string()),
    decline_code: v.optional(v.string()),
    failure_code: v.optional(v.string()),
    payment: v.optional(v.string()),
    payout: v.optional(v.string()),
  }),
})

export const MaskedCard = v.object({
  brand: v.string(),
  bin: v.pipe(v.string(), v.regex(/^\d{6,8}$/)),
  last4: v.pipe(v.string(), v.regex(/^\d{4}$/)),
  exp_month: v.pipe(v.number(), v.integer()),
  exp_year: v.pipe(v.number(), v.integer()),
  name: v.nullable(v.string()),
})

export const TokenObject = v.object({
  object: v.literal('token'),
  token: v.string(),
  status: v.picklist(['active', 'revoked', 'expired', 'invalid']),
  mode,
  customer_id: v.nullable(v.string()),
  card: MaskedCard,
  fingerprint: v.string(),
  verification: v.object({ strategy: v.string(), result: v.string() }),
  created_at: timestamp,
  updated_at: timestamp,
  last_used_at: v.nullable(timestamp),
  expires_at: timestamp,
  retain_until: timestamp,
  /** Who changed the token last (seed 004's usage.lastUpdateBy). */
  last_updated_by: v.nullable(v.picklist(['merchant', 'customer', 'account_updater'])),
  /** The acquirer's id of the first stored-credential payment, sent on later merchant-initiated ones. */
  network_transaction_id: v.nullable(v.string()),
})

/** A publishable key's answer: the token, its status and the card as the request sent it, nothing stored. */
export const BrowserToken = v.object({
  object: v.literal('token'),
  token: v.string(),
  status: v.picklist(['active', 'revoked', 'expired', 'invalid']),
  card: v.object({ brand: v.string(), bin: v.string(), last4: v.string(), exp_month: v.number(), exp_year: v.number() }),
})

export const DeletedToken = v.object({ object: v.literal('token'), token: v.string(), deleted: v.literal(true) })

export const SavedCard = v.object({
  object: v.literal('saved_card'),
  token: v.string(),
  card: v.object({ brand: v.string(), last4: v.string(), exp_month: v.number(), exp_year: v.number() }),
})

export const CustomerSession = v.object({ object: v.literal('customer_session'), client_secret: v.string(), customer_id: v.nullable(v.string()), expires_at: timestamp })

const payment = (object: 'payment' | 'payout') =>
  v.object({
    object: v.literal(object),
    id: v.string(),
    status: v.picklist(['requires_action', 'authorized', 'captured', 'partially_refunded', 'refunded', 'declined', 'canceled', 'paid', 'failed']),
    amount: v.pipe(v.number(), v.integer()),
    amount_captured: v.pipe(v.number(), v.integer()),
    amount_refunded: v.pipe(v.number(), v.integer()),
    currency: v.string(),
    token: v.nullable(v.string()),
    initiator: v.picklist(['customer', 'merchant']),
    decline_code: v.optional(v.string()),
    /** Only on a failed payout: the acquirer's reason for refusing it. */
    failure_code: v.optional(v.string()),
    acquirer_reference: v.nullable(v.string()),
    created_at: timestamp,
    /** A stored-credential payment (seed 003): its type, and the network transaction id that links it to the first. */
    recurring: v.optional(v.object({ type: v.picklist(['unscheduled', 'recurring', 'installment']) })),
    network_transaction_id: v.optional(v.nullable(v.string())),
    three_d_secure: v.optional(
      v.object({ version: v.string(), flow: v.picklist(['frictionless', 'challenge']), result: v.picklist(['authenticated', 'attempted', 'failed', 'unavailable']), eci: v.nullable(v.string()) }),
    ),
    /** With status requires_action: hand it to the element's handleNextAction(). */
    next_action: v.optional(v.object({ type: v.literal('three_d_secure'), url: v.string(), client_secret: v.string() })),
  })
export const PaymentObject = payment('payment')
export const PayoutObject = payment('payout')

export const EventObject = v.object({
  object: v.literal('event'),
  id: v.string(),
  type: v.picklist(EVENT_TYPES),
  created_at: timestamp,
  mode,
  data: v.object({ object: v.looseObject({ object: v.string() }) }),
  delivery: v.object({
    status: v.picklist(['pending', 'delivered', 'failed', 'skipped']),
    attempts: v.number(),
    last_attempt_at: v.nullable(v.string()),
    last_response_status: v.nullable(v.number()),
    last_error: v.nullable(v.string()),
    next_attempt_at: v.nullable(v.string()),
    delivered_at: v.nullable(v.string()),
  }),
})

export const JsonWebKeySet = v.object({ keys: v.array(v.looseObject({ kty: v.string(), kid: v.string() })) })

export const list = <S extends v.GenericSchema>(item: S) =>
  v.object({ object: v.literal('list'), data: v.array(item), has_more: v.boolean(), next_cursor: v.nullable(v.string()) })

/** A customer session's saved cards, and whether the frame must ask the chosen one's CVC (require_cvc_for_saved_cards). */
export const SavedCardList = v.object({ ...list(SavedCard).entries, require_cvc: v.boolean() })

const nullable = <S extends v.GenericSchema>(schema: S) => v.nullable(schema)

/** The hosted payment page (DESIGN.md "Hosted payment page"). */
export const PaymentPageObject = v.object({
  object: v.literal('payment_page'),
  id: v.string(),
  url: v.string(),
  status: v.picklist(['open', 'completed', 'failed', 'expired']),
  expires_at: v.string(),
  mode: v.picklist(['purchase', 'tokenize']),
  livemode: v.boolean(),
  customer_id: nullable(v.string()),
  amount: nullable(v.number()),
  currency: nullable(v.string()),
  capture: nullable(v.boolean()),
  save_card: v.boolean(),
  locale: nullable(v.string()),
  return_url: v.string(),
  cancel_url: nullable(v.string()),
  created_at: v.string(),
  completed_at: nullable(v.string()),
  token: v.optional(v.string()),
  payment: v.optional(PaymentObject),
})

/** What the payment page's own calls answer: go back, wait for 3-D Secure, or try again. */
export const PaymentPageAttempt = v.object({ status: v.picklist(['completed', 'failed', 'requires_action', 'open']), redirect_url: v.optional(v.string()), payment: v.optional(v.string()) })

export const Liveness = v.object({ status: v.literal('live') })

const check = v.picklist(['ok', 'unavailable', 'timeout', 'unknown'])
export const Readiness = v.object({ status: v.picklist(['ready', 'not_ready']), checks: v.object({ database: check, master_key: check }) })

export const AuditEvent = v.object({
  object: v.literal('audit_event'),
  id: v.string(),
  action: v.picklist(AUDIT_ACTIONS),
  token: v.optional(v.string()),
  payment: v.optional(v.string()),
  actor: v.variant('type', [v.object({ type: v.literal('key'), key_id: v.string() }), v.object({ type: v.literal('job'), job: v.string() })]),
  request_id: v.optional(v.string()),
  created_at: timestamp,
  prev_hash: v.string(),
  hash: v.string(),
})

/** A publishable key's read of a payment with its client secret (3-D Secure): nothing more. */
export const PaymentStatusView = v.object({ id: v.string(), status: v.string(), decline_code: v.optional(v.string()) })

/** The vault's answer to an acquirer's signed 3-D Secure notification. */
export const NotificationReceipt = v.object({ received: v.literal(true), result: v.string() })
