// Payments and payouts: authorize or pay with a token or a card JWE (saving the card when asked
// and approved), pay out to a token's card, capture and refund within bounds, read back. Every
// acquirer call carries a key derived from the vault request's Idempotency-Key.
import type { Kysely } from 'kysely'
import type { AcquirerClient, CardDetails } from '../acquirer/client.js'
import type { Clock } from '../clock.js'
import { ConflictError, NotFoundError, TesseraError } from '../errors.js'
import type { Principal } from '../projects/project.js'
import { applyPaymentAmounts, findPayment, movePaymentStatus, type StoredPayment } from '../store/payments.js'
import type { Database, NewPayment, PaymentKind, RecurringType } from '../store/schema.js'
import type { CardIntake } from '../tokens/card-intake.js'
import type { Tokenizer } from '../tokens/tokenize.js'
import type { CardPayload } from '../tokens/card-payload.js'
import { basicChecks } from '../verification/basic.js'
import { amountTooLarge, cvcRequired, notCancelable, notCapturable, notRefundable } from './errors.js'
import { isPaymentId, presentPayment, type Initiator, type PaymentObject } from './payment.js'
import { answer, recorded, type Attempt, type Outcome, type PaymentRecorder } from './recording.js'
import { payoutOutcome } from './payout-outcome.js'
import type { Pending, ThreeDSecureFlow, ThreeDSecureMode } from './three-d-secure.js'
import { acquirerKey, type RequestMeta } from './request.js'
import type { TokenCards } from './token-cards.js'

export interface PayInput {
  /** Exactly one of token and card. */
  token?: string | undefined
  card?: string | undefined
  saveCard?: boolean | undefined
  /** With a token: the saved card's CVC as the frame encrypted it (a JWE bound to the token). */
  cardCvc?: string | undefined
  customerId?: string | undefined
  amount: number
  currency: string
  capture: boolean
  initiator?: Initiator | undefined
  /** A stored-credential payment (seed 003). */
  recurring?: RecurringType | undefined
  /** Default automatic: authenticate when the acquirer asks. */
  threeDSecure?: ThreeDSecureMode | undefined
}

export interface PayoutInput {
  token: string
  amount: number
  currency: string
}

export interface PaymentServiceDeps {
  db: Kysely<Database>
  clock: Clock
  acquirer: AcquirerClient
  intake: CardIntake
  tokenizer: Tokenizer
  tokenCards: TokenCards
  recorder: PaymentRecorder
  threeDSecure: ThreeDSecureFlow
}

/** A card saved during a payment is verified by the approved authorization itself (seed 003). */
const SAVED_BY_PAYMENT = { strategy: 'acquirer', result: 'passed' } as const

export class PaymentService {
  constructor(private readonly deps: PaymentServiceDeps) {}

  async pay(principal: Principal, input: PayInput, meta: RequestMeta): Promise<PaymentObject> {
    const stored = input.card !== undefined ? await this.payWithCard(principal, input, input.card, meta) : await this.payWithToken(principal, input, input.token as string, meta)
    return answer(stored, await this.deps.threeDSecure.nextAction(stored))
  }

  async payout(principal: Principal, input: PayoutInput, meta: RequestMeta): Promise<PaymentObject> {
    const token = await this.deps.tokenCards.usable(principal, input.token)
    const card = await this.deps.tokenCards.card(token)
    const outcome = await payoutOutcome(async () => {
      const payout = await this.deps.acquirer.payout({ card, amount: input.amount, currency: input.currency }, { idempotencyKey: acquirerKey(principal, meta, 'payout') })
      return { kind: 'approved', status: 'paid', amountCaptured: payout.amount, reference: payout.reference }
    })
    const attempt: Attempt = { kind: 'payout', amount: input.amount, currency: input.currency, initiator: 'merchant', token: token.token }
    const now = this.deps.clock.now()
    return answer(await this.deps.recorder.record(this.deps.recorder.row(principal, attempt, outcome, meta, now), outcome, now, meta.actor))
  }

  /** Captures an authorized payment once, `amount` (default all) up to the authorized amount. */
  async capture(principal: Principal, id: string, amount: number | undefined, meta: RequestMeta): Promise<PaymentObject> {
    const payment = await this.find(principal, 'payment', id)
    if (payment.status !== 'authorized' || payment.acquirer_reference === null) throw notCapturable(payment.status)
    const take = amount ?? payment.amount
    if (take > payment.amount) throw amountTooLarge(payment.amount, 'captured')
    const authorization = await this.deps.acquirer.capture(payment.acquirer_reference, { amount: take }, { idempotencyKey: acquirerKey(principal, meta, `capture:${id}`) })
    return this.settle(payment, authorization, 'payment.captured')
  }

  /** Refunds a captured payment, any number of times, together up to the captured amount. */
  async refund(principal: Principal, id: string, amount: number | undefined, meta: RequestMeta): Promise<PaymentObject> {
    const payment = await this.find(principal, 'payment', id)
    if ((payment.status !== 'captured' && payment.status !== 'partially_refunded') || payment.acquirer_reference === null) throw notRefundable(payment.status)
    const refundable = payment.amount_captured - payment.amount_refunded
    const give = amount ?? refundable
    if (give > refundable) throw amountTooLarge(refundable, 'refunded')
    const authorization = await this.deps.acquirer.refund(payment.acquirer_reference, { amount: give }, { idempotencyKey: acquirerKey(principal, meta, `refund:${id}`) })
    return this.settle(payment, authorization, 'payment.refunded')
  }

  /**
   * Voids an authorization that was not captured (the acquirer releases the hold): status
   * `canceled`, a `payment.updated` event. Anything else (captured, declined, refunded,
   * canceled already) is a 409; a canceled payment can no longer be captured.
   */
  async cancel(principal: Principal, id: string, meta: RequestMeta): Promise<PaymentObject> {
    const payment = await this.find(principal, 'payment', id)
    if (payment.status !== 'authorized' || payment.acquirer_reference === null) throw notCancelable(payment.status)
    await this.deps.acquirer.void(payment.acquirer_reference, { idempotencyKey: acquirerKey(principal, meta, `cancel:${id}`) })
    const now = this.deps.clock.now()
    const key = { projectId: payment.project_id, mode: payment.mode, kind: payment.kind, id: payment.id }
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const { moved, row } = await movePaymentStatus(trx, key, 'authorized', 'canceled', now.toISOString())
      if (moved) await this.deps.recorder.event(trx, 'payment.updated', row, now)
      return row
    })
    return presentPayment(updated)
  }

  async get(principal: Principal, kind: PaymentKind, id: string): Promise<PaymentObject> {
    const payment = await this.find(principal, kind, id)
    return presentPayment(payment, await this.deps.threeDSecure.nextAction(payment))
  }

  /** The stored row, for callers that check something about it first (a payment's client secret). */
  async find(principal: Principal, kind: PaymentKind, id: string): Promise<StoredPayment> {
    const payment = isPaymentId(kind, id) ? await findPayment(this.deps.db, { projectId: principal.project.id, mode: principal.mode, kind, id }) : undefined
    if (!payment) throw new NotFoundError(`${kind}_not_found`, `No such ${kind}.`, 'id')
    return payment
  }

  private async payWithToken(principal: Principal, input: PayInput, value: string, meta: RequestMeta): Promise<StoredPayment> {
    const token = await this.deps.tokenCards.usable(principal, value)
    // Paying with a stored card is merchant-initiated unless the merchant says the customer is there (one-click).
    const initiator = input.initiator ?? 'merchant'
    if (initiator === 'customer' && principal.project.requireCvcForSavedCards && input.cardCvc === undefined) throw cvcRequired()
    const cvc = input.cardCvc === undefined ? undefined : await this.deps.intake.openCvc(input.cardCvc, token.token)
    // The CVC lives in this call only: handed to the acquirer, never stored, never logged.
    const card: CardDetails = { ...(await this.deps.tokenCards.card(token)), cvc: cvc?.cvc }
    // A merchant-initiated stored-credential payment sends the first payment's network transaction id.
    const networkTransactionId = input.recurring && initiator === 'merchant' ? (token.network_transaction_id ?? undefined) : undefined
    const attempt: Attempt = { kind: 'payment', amount: input.amount, currency: input.currency, initiator, token: token.token, recurringType: input.recurring, networkTransactionId }
    if (cvc) await this.deps.intake.claim(this.deps.db, cvc)
    let stored: StoredPayment | undefined
    try {
      const outcome = await this.authorize(principal, card, attempt, input, meta)
      const now = this.deps.clock.now()
      const row = this.deps.recorder.row(principal, attempt, outcome, meta, now)
      if (outcome.kind === 'requires_action') stored = await this.deps.threeDSecure.recordChallenge(principal, row, outcome, { saveCard: false, capture: input.capture }, meta)
      else stored = await this.deps.recorder.record(row, outcome, now, meta.actor)
      return stored
    } finally {
      // As with a card JWE: if nothing got recorded, the same encrypted CVC may be retried.
      if (cvc && !stored) await this.deps.intake.release(this.deps.db, cvc).catch(() => undefined)
    }
  }

  private async payWithCard(principal: Principal, input: PayInput, jwe: string, meta: RequestMeta): Promise<StoredPayment> {
    const payload = await this.deps.intake.open(principal, jwe)
    basicChecks(payload, this.deps.clock.now())
    const save = await this.savesCard(principal, input, payload)
    const initiator = input.initiator ?? 'customer'
    // With no cardholder present there is no CVC to send (the acquirer refuses one), so the
    // CVC the frame put into the JWE goes to the acquirer on customer-initiated payments only.
    const card: CardDetails = { number: payload.number, expMonth: payload.expMonth, expYear: payload.expYear, cvc: initiator === 'customer' ? payload.cvc : undefined }
    const attempt: Attempt = { kind: 'payment', amount: input.amount, currency: input.currency, initiator, token: null, recurringType: input.recurring }
    // The JWE is claimed before any money moves, so a replay (even a concurrent one) cannot
    // charge; if nothing gets recorded the claim is withdrawn and the same JWE may be retried.
    await this.deps.intake.claim(this.deps.db, payload)
    let stored: StoredPayment | undefined
    try {
      const outcome = await this.authorize(principal, card, attempt, input, meta)
      const now = this.deps.clock.now()
      const row = this.deps.recorder.row(principal, attempt, outcome, meta, now)
      // Waiting for the cardholder: the card waits sealed in the action row, saved only once paid.
      const pending: Pending = { card: payload, saveCard: save, customerId: input.customerId, capture: input.capture }
      if (outcome.kind === 'requires_action') stored = await this.deps.threeDSecure.recordChallenge(principal, row, outcome, pending, meta)
      else stored = outcome.kind === 'approved' && save ? await this.recordSavingCard(principal, payload, input, row, outcome, meta, now) : await this.deps.recorder.record(row, outcome, now, meta.actor)
      return stored
    } finally {
      if (!stored) await this.deps.intake.release(this.deps.db, payload).catch(() => undefined)
    }
  }

  /**
   * Whether an approved payment stores its card: asked (`save_card: true`; what cannot be saved
   * is refused before money moves), or the project's tokenize_on_purchase with a customer_id
   * (seeds 000/001; then a card that cannot be saved is simply not saved). `save_card: false` never.
   */
  private async savesCard(principal: Principal, input: PayInput, payload: CardPayload): Promise<boolean> {
    if (input.saveCard === true) {
      await this.deps.tokenizer.checkSavable(principal, payload)
      return true
    }
    if (input.saveCard === false || !principal.project.tokenizeOnPurchase || input.customerId === undefined) return false
    try {
      await this.deps.tokenizer.checkSavable(principal, payload)
      return true
    } catch (error) {
      if (error instanceof TesseraError && error.status < 500) return false
      throw error
    }
  }

  /** Tokenization during payment: the token is stored in the payment's own transaction. */
  private async recordSavingCard(principal: Principal, card: CardPayload, input: PayInput, row: NewPayment, outcome: Outcome, meta: RequestMeta, now: Date): Promise<StoredPayment> {
    let stored: StoredPayment | undefined
    try {
      return await recorded(async () => {
        await this.deps.tokenizer.save(principal, card, SAVED_BY_PAYMENT, {
          customerId: input.customerId,
          alongside: async (trx, result) => {
            stored = await this.deps.recorder.write(trx, { ...row, token: result.row.token }, outcome, now, meta.actor)
          },
        }, meta.actor)
        return stored as StoredPayment
      })
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
      // checkSavable() passed, but a concurrent request has since given this card a token the
      // project's settings refuse to duplicate. The money has moved: the payment stands, unsaved.
      return this.deps.recorder.record(row, outcome, now, meta.actor)
    }
  }

  private authorize(principal: Principal, card: CardDetails, attempt: Attempt, input: PayInput, meta: RequestMeta): Promise<Outcome> {
    return this.deps.threeDSecure.authorize({ principal, card, attempt, capture: input.capture, mode: input.threeDSecure ?? 'automatic', meta })
  }

  /** Records a capture or refund as the acquirer reports it, with its event. */
  private async settle(payment: StoredPayment, authorization: { status: StoredPayment['status']; amountCaptured: number; amountRefunded: number }, type: 'payment.captured' | 'payment.refunded'): Promise<PaymentObject> {
    const now = this.deps.clock.now()
    const key = { projectId: payment.project_id, mode: payment.mode, kind: payment.kind, id: payment.id }
    const amounts = { status: authorization.status, amount_captured: authorization.amountCaptured, amount_refunded: authorization.amountRefunded }
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const row = await applyPaymentAmounts(trx, key, amounts, now.toISOString())
      await this.deps.recorder.event(trx, type, row, now)
      return row
    })
    return presentPayment(updated)
  }
}
