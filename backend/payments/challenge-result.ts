// The end of a payment's wait for its cardholder: the acquirer's signed notification of the
// challenge's result (authorize then, or decline with authentication_failed), or the cancel job
// after 15 minutes. Either way the payment leaves requires_action, its action row and the sealed
// card in it are deleted, and payment.updated is written, all in one transaction.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { AcquirerClient, CompletedAuthentication, StoredCardDetails } from '../acquirer/client.js'
import type { Clock } from '../clock.js'
import type { CardCipher } from '../crypto/card-cipher.js'
import { ConflictError, TesseraError } from '../errors.js'
import type { Logger } from '../logger.js'
import type { Principal } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import { appendAudit } from '../store/audit.js'
import { endPaymentAction, expiredPaymentActions, findPaymentActionByAuthentication, leasePaymentAction, releasePaymentAction, type EndOfAction } from '../store/payment-actions.js'
import { findPayment, type StoredPayment } from '../store/payments.js'
import type { Database, PaymentActionRow } from '../store/schema.js'
import type { Actor } from '../tokens/changes.js'
import type { Tokenizer } from '../tokens/tokenize.js'
import type { PaymentEventType } from '../events/types.js'
import type { Outcome, PaymentRecorder } from './recording.js'
import { authorizeAfter, pendingCardBinding, summarize } from './three-d-secure.js'
import type { TokenCards } from './token-cards.js'

/** How long one process may hold a waiting payment while it finishes it (well past the acquirer timeout). */
export const ACTION_LEASE_MS = 60_000

export const CANCEL_ACTOR = { kind: 'system', job: 'payment-action-expiry' } as const

export interface ChallengeResultsDeps {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  acquirer: AcquirerClient
  cipher: CardCipher
  projects: ProjectService
  tokenizer: Tokenizer
  tokenCards: TokenCards
  recorder: PaymentRecorder
}

export type NotificationOutcome = 'finished' | 'unknown' | 'busy'

/** The acquirer's key for the authorization that follows a challenge: one per payment, so a repeated notification replays it. */
const afterChallengeKey = (paymentId: string) => 'tsr_' + crypto.createHash('sha256').update(`tessera-3ds-after-challenge|${paymentId}`).digest('hex')

const SAVED_BY_PAYMENT = { strategy: 'acquirer', result: 'passed' } as const

export class ChallengeResults {
  constructor(private readonly deps: ChallengeResultsDeps) {}

  /** Applies a verified notification. Unknown or finished payments are acknowledged and left alone. */
  async complete(authentication: CompletedAuthentication): Promise<NotificationOutcome> {
    const { db, clock } = this.deps
    const action = await findPaymentActionByAuthentication(db, authentication.reference)
    if (!action) return 'unknown'
    const now = clock.now()
    if (!(await leasePaymentAction(db, action.payment_id, now.toISOString(), new Date(now.getTime() + ACTION_LEASE_MS).toISOString()))) return 'busy'
    try {
      const payment = await findPayment(db, { projectId: action.project_id, mode: action.mode, kind: 'payment', id: action.payment_id })
      if (!payment || payment.status !== 'requires_action') return 'unknown'
      const outcome = await this.outcome(action, payment, authentication)
      await this.finish(action, payment, outcome)
      return 'finished'
    } catch (error) {
      await releasePaymentAction(db, action.payment_id).catch(() => undefined)
      throw error
    }
  }

  /** The cancel job's work: payments left waiting past their 15 minutes become canceled. */
  async cancelExpired(batchSize = 100): Promise<number> {
    const now = this.deps.clock.now()
    let canceled = 0
    for (const action of await expiredPaymentActions(this.deps.db, now.toISOString(), batchSize)) {
      const ended = await this.deps.db.transaction().execute((trx) => this.end(trx, action, { status: 'canceled' }, ['payment.updated'], now))
      if (ended) canceled++
    }
    return canceled
  }

  private async outcome(action: PaymentActionRow, payment: StoredPayment, a: CompletedAuthentication): Promise<Outcome> {
    const base = { threeDSecure: summarize(a), authentication: a.reference }
    if (a.result === 'failed') return { kind: 'declined', declineCode: 'authentication_failed', reference: null, ...base }
    if (a.result === 'unavailable') return { kind: 'declined', declineCode: 'authentication_unavailable', reference: null, ...base }
    const card = await this.card(action, payment)
    if (!card) return { kind: 'declined', declineCode: 'token_not_active', reference: null, ...base }
    // The CVC was never kept: the cardholder has just authenticated, which is the stronger proof.
    const request = { card, amount: payment.amount, currency: payment.currency, initiator: payment.initiator, capture: action.capture === 1 }
    return { ...(await authorizeAfter(this.deps.acquirer, request, a, afterChallengeKey(payment.id))), ...base }
  }

  /** The waiting card payment's sealed card, or the token's card (undefined when the token cannot pay any more). */
  private async card(action: PaymentActionRow, payment: StoredPayment): Promise<StoredCardDetails | undefined> {
    if (action.card_ciphertext !== null && action.card_data_key_id !== null) {
      const number = await this.deps.cipher.open({ dataKeyId: action.card_data_key_id, ciphertext: action.card_ciphertext }, pendingCardBinding(action.project_id, action.mode, action.payment_id))
      return { number, expMonth: action.exp_month as number, expYear: action.exp_year as number }
    }
    const principal = await this.principal(action)
    try {
      return await this.deps.tokenCards.card(await this.deps.tokenCards.usable(principal, payment.token as string))
    } catch (error) {
      if (error instanceof TesseraError) return undefined
      throw error
    }
  }

  private async principal(action: PaymentActionRow): Promise<Principal> {
    const project = await this.deps.projects.byId(action.project_id)
    if (!project) throw new Error(`project ${action.project_id} not found`)
    return { keyId: action.key_id, kind: 'secret', mode: action.mode, project }
  }

  /** Writes the end: with a card to save once paid, in the token's own transaction (as a payment that saves does). */
  private async finish(action: PaymentActionRow, payment: StoredPayment, outcome: Outcome): Promise<void> {
    const now = this.deps.clock.now()
    const end: EndOfAction =
      outcome.kind === 'approved'
        ? { status: outcome.status, amount_captured: outcome.amountCaptured, acquirer_reference: outcome.reference }
        : { status: 'declined', decline_code: outcome.kind === 'declined' ? outcome.declineCode : null, acquirer_reference: outcome.kind === 'declined' ? outcome.reference : null }
    if (outcome.kind !== 'requires_action' && outcome.threeDSecure) end.three_d_secure = JSON.stringify(outcome.threeDSecure)
    const types: PaymentEventType[] = ['payment.updated', outcome.kind === 'approved' ? (outcome.status === 'captured' ? 'payment.captured' : 'payment.authorized') : 'payment.declined']
    this.deps.logger.info({ payment: payment.id, acquirer_reference: end.acquirer_reference ?? null, outcome: outcome.kind }, 'acquirer answered')
    if (outcome.kind === 'approved' && action.save_card === 1 && action.card_ciphertext !== null) {
      try {
        return await this.saveAndEnd(action, end, types, now)
      } catch (error) {
        // A concurrent request gave the card a token the project refuses to duplicate: the money moved, the payment stands unsaved.
        if (!(error instanceof ConflictError)) throw error
      }
    }
    await this.deps.db.transaction().execute(async (trx) => {
      await this.end(trx, action, end, types, now)
      if (outcome.kind === 'approved' && payment.token) await this.deps.tokenCards.markUsed(trx, { projectId: action.project_id, mode: action.mode, token: payment.token }, now)
    })
  }

  private async saveAndEnd(action: PaymentActionRow, end: EndOfAction, types: PaymentEventType[], now: Date): Promise<void> {
    const principal = await this.principal(action)
    const number = await this.deps.cipher.open({ dataKeyId: action.card_data_key_id as string, ciphertext: action.card_ciphertext as string }, pendingCardBinding(action.project_id, action.mode, action.payment_id))
    const card = { number, expMonth: action.exp_month as number, expYear: action.exp_year as number, name: action.holder_name ?? undefined }
    const actor: Actor = { kind: 'key', keyId: action.key_id, requestId: action.request_id ?? '' }
    const alongside = async (trx: Kysely<Database>, result: { row: { token: string } }) => {
      if (!(await this.end(trx, action, { ...end, token: result.row.token }, types, now))) return
      // The saved card's first use, as a payment that saves its card records it; last, as the chain's head is held until the commit.
      await appendAudit(trx, { projectId: action.project_id, mode: action.mode, action: 'payment.created', token: result.row.token, payment: action.payment_id, actor, at: now })
    }
    await this.deps.tokenizer.save(principal, card, SAVED_BY_PAYMENT, { customerId: action.customer_id ?? undefined, alongside }, actor)
  }

  /** Ends the wait in `trx` and writes its events; false when the payment had already left requires_action. */
  private async end(trx: Kysely<Database>, action: PaymentActionRow, end: EndOfAction, types: PaymentEventType[], now: Date): Promise<boolean> {
    const ended = await endPaymentAction(trx, action, end, now.toISOString())
    if (!ended) return false
    for (const type of types) await this.deps.recorder.event(trx, type, ended, now)
    return true
  }
}
