// 3-D Secure while a payment is created: authorize as `three_d_secure` says (automatic: only
// when the acquirer asks with a soft decline; required: always; off: never), run the acquirer's
// authentication, and when the issuer wants a challenge record the payment as requires_action
// with what it needs to go on (the card sealed under the project's data key, bound to the payment).
import type { Kysely } from 'kysely'
import { AcquirerDeclinedError, AUTHENTICATION_REQUIRED, type AcquirerClient, type AuthorizeRequest, type CardDetails, type CompletedAuthentication } from '../acquirer/client.js'
import type { Clock } from '../clock.js'
import type { CardCipher } from '../crypto/card-cipher.js'
import type { ProjectService } from '../projects/service.js'
import type { Principal } from '../projects/project.js'
import { findPaymentAction, insertPaymentAction } from '../store/payment-actions.js'
import type { StoredPayment } from '../store/payments.js'
import type { Database, NewPayment } from '../store/schema.js'
import type { CardToStore } from '../tokens/tokenize.js'
import { checkPaymentClientSecret, paymentClientSecret } from './client-secret.js'
import type { NextAction, ThreeDSecureSummary } from './payment.js'
import { recorded, type Attempt, type Outcome, type PaymentRecorder } from './recording.js'
import { acquirerKey, type RequestMeta } from './request.js'

export const THREE_D_SECURE_MODES = ['automatic', 'required', 'off'] as const
export type ThreeDSecureMode = (typeof THREE_D_SECURE_MODES)[number]

/** How long a payment may wait for its cardholder before the cancel job cancels it. */
export const PAYMENT_ACTION_TTL_MS = 15 * 60_000

/** Where the vault's own pages and the acquirer's notifications go, under the vault's public origin. */
export const actionUrl = (origin: string, paymentId: string) => `${origin}/three-d-secure/${paymentId}`
export const notificationUrl = (origin: string) => `${origin}/v1/acquirer/notifications`

/** The binding of a waiting payment's sealed card: never a token's, so it opens nowhere else. */
export const pendingCardBinding = (projectId: string, mode: string, paymentId: string) => ({ projectId, mode, token: `payment:${paymentId}` })

export interface AuthorizeCall {
  principal: Principal
  card: CardDetails
  attempt: Attempt
  capture: boolean
  mode: ThreeDSecureMode
  meta: RequestMeta
}

/** What a waiting payment keeps to go on: the card of a card payment, and what to do once paid. */
export interface Pending {
  card?: CardToStore | undefined
  saveCard: boolean
  customerId?: string | undefined
  capture: boolean
}

/** A payment as the publishable key sees it with the client secret. */
export interface ClientPaymentView {
  id: string
  status: StoredPayment['status']
  decline_code?: string
}

export interface ThreeDSecureFlowDeps {
  db: Kysely<Database>
  clock: Clock
  acquirer: AcquirerClient
  cipher: CardCipher
  projects: ProjectService
  recorder: PaymentRecorder
}

/** An acquirer call's result as an outcome: a decline is an answer, any other failure is thrown. */
export async function decided(call: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof AcquirerDeclinedError) return { kind: 'declined', declineCode: error.declineCode, reference: error.reference ?? null }
    throw error
  }
}

export const summarize = (a: CompletedAuthentication): ThreeDSecureSummary => ({ version: a.version, flow: a.flow, result: a.result, eci: a.eci })

/** An authorization carrying a passed authentication, for the payment creation and the challenge's end alike. */
export function authorizeAfter(acquirer: AcquirerClient, request: Omit<AuthorizeRequest, 'threeDSecure'>, a: CompletedAuthentication, idempotencyKey: string | undefined): Promise<Outcome> {
  const proof = { reference: a.reference, transactionId: a.transactionId, version: a.version, eci: a.eci, result: a.result }
  return decided(async () => {
    const authorization = await acquirer.authorize({ ...request, threeDSecure: proof }, { idempotencyKey })
    return { kind: 'approved', status: authorization.status, amountCaptured: authorization.amountCaptured, reference: authorization.reference }
  })
}

export class ThreeDSecureFlow {
  constructor(private readonly deps: ThreeDSecureFlowDeps) {}

  /** Authorizes, authenticating first when the mode (or, in automatic mode, the acquirer) says so. */
  async authorize(call: AuthorizeCall): Promise<Outcome> {
    const { attempt, card, capture, principal, meta } = call
    // A merchant-initiated payment has no cardholder to authenticate (an SCA exemption).
    const mode = attempt.initiator === 'customer' ? call.mode : 'off'
    const request = { card, amount: attempt.amount, currency: attempt.currency, initiator: attempt.initiator, capture }
    if (mode !== 'required') {
      const first = await decided(async () => {
        const authorization = await this.deps.acquirer.authorize(request, { idempotencyKey: acquirerKey(principal, meta, 'authorize') })
        return { kind: 'approved', status: authorization.status, amountCaptured: authorization.amountCaptured, reference: authorization.reference }
      })
      if (mode === 'off' || first.kind !== 'declined' || first.declineCode !== AUTHENTICATION_REQUIRED) return first
    }
    return this.authenticate(call, request, mode === 'required')
  }

  private async authenticate(call: AuthorizeCall, request: Omit<AuthorizeRequest, 'threeDSecure'>, required: boolean): Promise<Outcome> {
    const { principal, meta, card, attempt } = call
    if (meta.vaultOrigin === undefined) throw new Error('3-D Secure needs the vault origin of the request')
    const stored = { number: card.number, expMonth: card.expMonth, expYear: card.expYear }
    const a = await this.deps.acquirer.authenticate(
      { card: stored, amount: attempt.amount, currency: attempt.currency, notificationUrl: notificationUrl(meta.vaultOrigin) },
      { idempotencyKey: acquirerKey(principal, meta, 'authenticate') },
    )
    if (a.status === 'challenge_required') return { kind: 'requires_action', challenge: a }
    const base = { threeDSecure: summarize(a), authentication: a.reference }
    if (a.result === 'failed') return { kind: 'declined', declineCode: 'authentication_failed', reference: null, ...base }
    if (a.result === 'unavailable' && required) return { kind: 'declined', declineCode: 'authentication_unavailable', reference: null, ...base }
    // Authenticated or attempted; or unavailable in automatic mode, which goes on without it.
    return { ...(await authorizeAfter(this.deps.acquirer, request, a, acquirerKey(principal, meta, 'authorize:3ds'))), ...base }
  }

  /**
   * Records a payment that waits for its cardholder: the payment row (requires_action), its
   * payment.updated event and its action row, in one transaction, or nothing.
   */
  async recordChallenge(principal: Principal, row: NewPayment, outcome: Extract<Outcome, { kind: 'requires_action' }>, pending: Pending, meta: RequestMeta): Promise<StoredPayment> {
    const now = this.deps.clock.now()
    const origin = meta.vaultOrigin as string
    const sealed = pending.card ? await this.deps.cipher.seal(pending.card.number, pendingCardBinding(principal.project.id, principal.mode, row.id)) : undefined
    return recorded(() =>
      this.deps.db.transaction().execute(async (trx) => {
        const stored = await this.deps.recorder.write(trx, row, outcome, now, meta.actor)
        await insertPaymentAction(trx, {
          payment_id: row.id,
          project_id: principal.project.id,
          mode: principal.mode,
          authentication_reference: outcome.challenge.reference,
          transaction_id: outcome.challenge.transactionId,
          version: outcome.challenge.version,
          challenge_url: outcome.challenge.challengeUrl,
          action_url: actionUrl(origin, row.id),
          capture: pending.capture ? 1 : 0,
          card_data_key_id: sealed?.dataKeyId ?? null,
          card_ciphertext: sealed?.ciphertext ?? null,
          exp_month: pending.card?.expMonth ?? null,
          exp_year: pending.card?.expYear ?? null,
          holder_name: pending.card?.name ?? null,
          save_card: pending.saveCard ? 1 : 0,
          customer_id: pending.customerId ?? null,
          key_id: principal.keyId,
          request_id: meta.actor.kind === 'key' ? meta.actor.requestId : null,
          lease_until: null,
          expires_at: new Date(now.getTime() + PAYMENT_ACTION_TTL_MS).toISOString(),
          created_at: now.toISOString(),
        })
        return stored
      }),
    )
  }

  /**
   * What the browser may read with the publishable key and the payment's client secret: only
   * id, status and decline_code. Undefined for a wrong secret.
   */
  async clientView(payment: StoredPayment, secret: string): Promise<ClientPaymentView | undefined> {
    const keys = await this.deps.projects.keys(payment.project_id)
    if (!checkPaymentClientSecret(keys.tokenKey, payment.id, secret)) return undefined
    return payment.decline_code === null ? { id: payment.id, status: payment.status } : { id: payment.id, status: payment.status, decline_code: payment.decline_code }
  }

  /** next_action for a payment that waits, shown to the merchant's server (secret key) only. */
  async nextAction(payment: StoredPayment): Promise<NextAction | undefined> {
    if (payment.status !== 'requires_action') return undefined
    const action = await findPaymentAction(this.deps.db, payment.id)
    if (!action) return undefined
    const keys = await this.deps.projects.keys(payment.project_id)
    return { type: 'three_d_secure', url: action.action_url, client_secret: paymentClientSecret(keys.tokenKey, payment.id) }
  }
}
