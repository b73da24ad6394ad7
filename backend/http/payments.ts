// Payment and payout routes (secret key): pay, capture, refund, pay out, read back.
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import type { Principal } from '../projects/project.js'
import { AuthenticationError, InvalidRequestError, NotFoundError } from '../errors.js'
import { PAYMENT_SECRET_HEADER } from '../payments/client-secret.js'
import type { RequestMeta } from '../payments/request.js'
import type { PaymentList } from '../payments/list.js'
import type { PaymentService } from '../payments/service.js'
import { parseLimit } from '../tokens/pages.js'
import { THREE_D_SECURE_MODES, type ThreeDSecureFlow } from '../payments/three-d-secure.js'
import { ownOrigin } from './middleware/auth.js'
import type { AppEnv } from './env.js'
import { identifier, jweString, parseInput } from './validation.js'

export interface PaymentRouteDeps {
  payments: PaymentService
  list: PaymentList
  threeDSecure: ThreeDSecureFlow
  secretKey: MiddlewareHandler<AppEnv>
  /** GET /payments/:id also answers the publishable key with the payment's client secret. */
  anyKey: MiddlewareHandler<AppEnv>
  publicOrigin?: string | undefined
}

/** The largest amount in minor units the vault (and the sandbox acquirer) accepts. */
export const MAX_AMOUNT = 99_999_999_999

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

export const amount = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_AMOUNT))
export const currency = v.pipe(v.string(), v.regex(/^[A-Z]{3}$/), v.check((c) => CURRENCIES.has(c), 'an ISO 4217 currency code'))
export const tokenValue = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,128}$/))

export const paymentBody = v.strictObject({
  token: v.optional(tokenValue),
  card: v.optional(jweString),
  card_cvc: v.optional(jweString),
  save_card: v.optional(v.boolean()),
  customer_id: v.optional(identifier),
  amount,
  currency,
  capture: v.optional(v.boolean()),
  initiator: v.optional(v.picklist(['customer', 'merchant'])),
  recurring: v.optional(v.strictObject({ type: v.picklist(['unscheduled', 'recurring', 'installment']) })),
  three_d_secure: v.optional(v.picklist(THREE_D_SECURE_MODES)),
})

const PAYMENT_STATUSES = ['requires_action', 'authorized', 'captured', 'partially_refunded', 'refunded', 'declined', 'canceled'] as const

export const paymentListQuery = v.strictObject({
  limit: v.optional(v.string()),
  cursor: v.optional(v.string()),
  token: v.optional(tokenValue),
  customer_id: v.optional(identifier),
  status: v.optional(v.picklist(PAYMENT_STATUSES)),
})

export const payoutListQuery = v.strictObject({ ...paymentListQuery.entries, status: v.optional(v.picklist(['paid', 'declined', 'failed'])) })

export const amountBody = v.strictObject({ amount: v.optional(amount) })

export const payoutBody = v.strictObject({ token: tokenValue, amount, currency })

/** The combinations the schema cannot say: one source, and saving only what comes as a card. */
function checkSource(body: v.InferOutput<typeof paymentBody>, principal: Principal): void {
  if (body.token === undefined && body.card === undefined) throw new InvalidRequestError('parameter_missing', 'Pass `token` or `card`.', 'token')
  if (body.token !== undefined && body.card !== undefined) throw new InvalidRequestError('parameter_invalid', 'Pass either `token` or `card`, not both.', 'card')
  if (body.token !== undefined && body.save_card !== undefined) throw new InvalidRequestError('parameter_invalid', '`save_card` goes with `card`: a token is saved already.', 'save_card')
  if (body.card_cvc !== undefined && body.token === undefined) throw new InvalidRequestError('parameter_invalid', "`card_cvc` goes with `token`: a card JWE carries its own CVC.", 'card_cvc')
  // With tokenize_on_purchase a customer_id alone saves the card (seeds 000/001); else it needs save_card.
  const saves = body.save_card === true || (body.save_card === undefined && principal.project.tokenizeOnPurchase)
  if (body.customer_id !== undefined && (body.token !== undefined || !saves)) {
    throw new InvalidRequestError('parameter_invalid', '`customer_id` names the customer of a saved card: send it with `card` and `save_card: true` (or on a project with tokenize_on_purchase).', 'customer_id')
  }
  const initiator = body.initiator ?? (body.card !== undefined ? 'customer' : 'merchant')
  // With no cardholder present there is no CVC (the acquirer refuses one on a merchant-initiated payment).
  if (body.card_cvc !== undefined && initiator !== 'customer') throw new InvalidRequestError('parameter_invalid', '`card_cvc` needs `initiator: customer`: a merchant-initiated payment has no CVC.', 'card_cvc')
  if (body.three_d_secure === 'required' && initiator === 'merchant') {
    throw new InvalidRequestError('parameter_invalid', '`three_d_secure: required` needs the cardholder: a merchant-initiated payment has none to authenticate.', 'three_d_secure')
  }
}

/** Who acts, and the Idempotency-Key with the request hash the idempotency middleware made. */
export function requestMeta(c: Context<AppEnv>): RequestMeta {
  const idempotencyKey = c.req.header('idempotency-key')
  const requestHash = c.get('requestHash')
  // The actor as tokens.ts's keyActor makes it; not imported, since tokens.ts imports this module.
  return { actor: { kind: 'key', keyId: c.get('principal').keyId, requestId: c.get('requestId') }, idempotencyKey, requestHash }
}

export function paymentRoutes(deps: PaymentRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const { payments, secretKey } = deps

  app.post('/payments', secretKey, async (c) => {
    const body = parseInput(paymentBody, c.get('body'))
    checkSource(body, c.get('principal'))
    const input = { token: body.token, card: body.card, cardCvc: body.card_cvc, saveCard: body.save_card, customerId: body.customer_id, amount: body.amount, currency: body.currency, capture: body.capture ?? true, initiator: body.initiator, threeDSecure: body.three_d_secure, recurring: body.recurring?.type }
    const meta = { ...requestMeta(c), vaultOrigin: ownOrigin(c.req.url, deps.publicOrigin) }
    return c.json(await payments.pay(c.get('principal'), input, meta), 201)
  })

  app.get('/payments', secretKey, async (c) => {
    const query = parseInput(paymentListQuery, c.req.query())
    const input = { token: query.token, customerId: query.customer_id, status: query.status, limit: parseLimit(query.limit), cursor: query.cursor }
    return c.json(await deps.list.list(c.get('principal'), input))
  })

  app.get('/payouts', secretKey, async (c) => {
    const query = parseInput(payoutListQuery, c.req.query())
    const input = { token: query.token, customerId: query.customer_id, status: query.status, limit: parseLimit(query.limit), cursor: query.cursor }
    return c.json(await deps.list.list(c.get('principal'), input, 'payout'))
  })

  app.get('/payments/:id', deps.anyKey, async (c) => {
    const principal = c.get('principal')
    if (principal.kind === 'secret') return c.json(await payments.get(principal, 'payment', c.req.param('id')))
    // The browser (3-D Secure): id, status and decline_code, with the payment's client secret.
    const secret = c.req.header(PAYMENT_SECRET_HEADER)
    if (!secret) throw new AuthenticationError('missing_payment_secret', `Send the payment's client secret in ${PAYMENT_SECRET_HEADER}.`)
    const view = await deps.threeDSecure.clientView(await payments.find(principal, 'payment', c.req.param('id')), secret)
    if (!view) throw new NotFoundError('payment_not_found', 'No such payment.', 'id')
    return c.json(view)
  })

  app.post('/payments/:id/capture', secretKey, async (c) => {
    const body = parseInput(amountBody, c.get('body'))
    return c.json(await payments.capture(c.get('principal'), c.req.param('id'), body.amount, requestMeta(c)))
  })

  app.post('/payments/:id/refund', secretKey, async (c) => {
    const body = parseInput(amountBody, c.get('body'))
    return c.json(await payments.refund(c.get('principal'), c.req.param('id'), body.amount, requestMeta(c)))
  })

  app.post('/payments/:id/cancel', secretKey, async (c) => {
    parseInput(v.strictObject({}), c.get('body'))
    return c.json(await payments.cancel(c.get('principal'), c.req.param('id'), requestMeta(c)))
  })

  app.post('/payouts', secretKey, async (c) => {
    const body = parseInput(payoutBody, c.get('body'))
    return c.json(await payments.payout(c.get('principal'), body, requestMeta(c)), 201)
  })

  app.get('/payouts/:id', secretKey, async (c) => c.json(await payments.get(c.get('principal'), 'payout', c.req.param('id'))))

  return app
}
