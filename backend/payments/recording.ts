// Writes what the acquirer answered: the payment or payout row, the token's use, the event and
// (when a stored card was used or saved) the audit event, in one transaction. Nothing is written before the acquirer has answered, so a payment row
// always states an outcome the acquirer gave (see docs/payments.md, "The crash window").
import type { Kysely } from 'kysely'
import type { PaymentEventInput } from '../events/outbox.js'
import type { PaymentEventType } from '../events/types.js'
import type { ChallengeRequired } from '../acquirer/client.js'
import type { Logger } from '../logger.js'
import type { Principal } from '../projects/project.js'
import { appendAudit, type AuditActor } from '../store/audit.js'
import { findPayment, findPaymentByReference, insertPayment, type StoredPayment } from '../store/payments.js'
import type { Database, NewPayment, PaymentKind, PaymentStatus, RecurringType } from '../store/schema.js'
import { PaymentDeclinedError, PayoutFailedError } from './errors.js'
import { newPaymentId, presentPayment, type Initiator, type NextAction, type PaymentObject, type ThreeDSecureSummary } from './payment.js'
import type { RequestMeta } from './request.js'
import type { TokenCards } from './token-cards.js'

/** Where payment events go: the outbox (backend/events), in the payment's transaction. */
export interface PaymentEventSink {
  recordPaymentEvent(trx: Kysely<Database>, input: PaymentEventInput): Promise<string>
}

/** The authentication that went before an authorization or a decline, if any. */
export interface Authenticated {
  threeDSecure?: ThreeDSecureSummary | undefined
  /** The acquirer's id for that authentication. */
  authentication?: string | undefined
}

/** What the acquirer said to an authorization or a payout; `threeDSecure` when an authentication ran. */
export type Outcome =
  | ({ kind: 'approved'; status: PaymentStatus; amountCaptured: number; reference: string; networkTransactionId?: string | null } & Authenticated)
  | ({ kind: 'declined'; declineCode: string; reference: string | null } & Authenticated)
  /** A payout the acquirer refused for good (not the issuer): nothing moved (payout-outcome.ts). */
  | ({ kind: 'failed'; failureCode: string; reference: string | null } & Authenticated)
  | { kind: 'requires_action'; challenge: ChallengeRequired }

export interface Attempt {
  kind: PaymentKind
  amount: number
  currency: string
  initiator: Initiator
  /** The token paid with (marked as used when approved), or null for a card payment. */
  token: string | null
  /** A stored-credential payment's type (seed 003). */
  recurringType?: RecurringType | undefined
  /** Sent with a merchant-initiated one: the first payment's network transaction id. */
  networkTransactionId?: string | undefined
}

/** The acquirer's answer was recorded before (a replayed answer): the existing row stands. */
export class AlreadyRecorded extends Error {
  constructor(readonly payment: StoredPayment) {
    super('payment already recorded')
  }
}

const PAYOUT_EVENTS = { approved: 'payout.paid', declined: 'payout.declined', failed: 'payout.failed' } as const

function eventFor(kind: PaymentKind, outcome: Outcome): PaymentEventType | undefined {
  if (kind === 'payout') return outcome.kind === 'requires_action' ? undefined : PAYOUT_EVENTS[outcome.kind]
  if (outcome.kind === 'failed') return undefined
  if (outcome.kind === 'requires_action') return 'payment.updated'
  if (outcome.kind === 'declined') return 'payment.declined'
  return outcome.status === 'captured' ? 'payment.captured' : 'payment.authorized'
}

export interface PaymentRecorderDeps {
  db: Kysely<Database>
  logger: Logger
  tokenCards: TokenCards
  events: PaymentEventSink
}

export class PaymentRecorder {
  constructor(private readonly deps: PaymentRecorderDeps) {}

  /** The row for an attempt the acquirer answered; `token` may be set later (a card saved in the same transaction). */
  row(principal: Principal, attempt: Attempt, outcome: Outcome, meta: RequestMeta, at: Date): NewPayment {
    const approved = outcome.kind === 'approved'
    const waiting = outcome.kind === 'requires_action'
    const authentication = waiting ? outcome.challenge.reference : outcome.authentication
    const row: NewPayment = {
      id: newPaymentId(attempt.kind),
      project_id: principal.project.id,
      mode: principal.mode,
      kind: attempt.kind,
      status: approved ? outcome.status : waiting ? 'requires_action' : outcome.kind,
      amount: attempt.amount,
      amount_captured: approved ? outcome.amountCaptured : 0,
      amount_refunded: 0,
      currency: attempt.currency,
      token: attempt.token,
      initiator: attempt.initiator,
      recurring_type: attempt.recurringType ?? null,
      network_transaction_id: (approved ? outcome.networkTransactionId : undefined) ?? attempt.networkTransactionId ?? null,
      decline_code: outcome.kind === 'declined' ? outcome.declineCode : null,
      failure_code: outcome.kind === 'failed' ? outcome.failureCode : null,
      acquirer_reference: waiting ? null : outcome.reference,
      three_d_secure: outcome.kind !== 'requires_action' && outcome.threeDSecure ? JSON.stringify(outcome.threeDSecure) : null,
      authentication_reference: authentication ?? null,
      idempotency_key: meta.idempotencyKey ?? null,
      request_hash: meta.idempotencyKey === undefined ? null : (meta.requestHash ?? null),
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    }
    // The one line that tells of an answer not yet written: the trail for reconciling an
    // acquirer record with no payment if this process dies before the commit.
    this.deps.logger.info({ request_id: meta.actor.kind === 'key' ? meta.actor.requestId : undefined, [attempt.kind]: row.id, acquirer_reference: row.acquirer_reference, authentication: row.authentication_reference ?? undefined, outcome: outcome.kind }, 'acquirer answered')
    return row
  }

  /** Writes the row (and the token's use, the event and the audit event) inside `trx`. */
  async write(trx: Kysely<Database>, row: NewPayment, outcome: Outcome, at: Date, actor: AuditActor): Promise<StoredPayment> {
    if (row.acquirer_reference) {
      const existing = await findPaymentByReference(trx, row.project_id, row.mode, row.acquirer_reference)
      if (existing) throw new AlreadyRecorded(existing)
    }
    await insertPayment(trx, row)
    if (row.token && outcome.kind === 'approved') {
      // The first customer-initiated stored-credential payment links the token to its network transaction id (seed 003).
      const link = row.initiator === 'customer' && row.recurring_type && row.network_transaction_id ? { network_transaction_id: row.network_transaction_id } : {}
      await this.deps.tokenCards.markUsed(trx, { projectId: row.project_id, mode: row.mode, token: row.token }, at, link)
    }
    const stored = (await findPayment(trx, { projectId: row.project_id, mode: row.mode, kind: row.kind, id: row.id })) as StoredPayment
    const type = eventFor(row.kind, outcome)
    if (type) await this.event(trx, type, stored, at)
    // Last: on PostgreSQL the append holds the chain's head until the commit.
    if (row.token) await appendAudit(trx, { projectId: row.project_id, mode: row.mode, action: row.kind === 'payout' ? 'payout.created' : 'payment.created', token: row.token, payment: row.id, actor, at })
    return stored
  }

  /** The payment's event, in the transaction of the change it tells of. */
  async event(trx: Kysely<Database>, type: PaymentEventType, payment: StoredPayment, at: Date): Promise<void> {
    await this.deps.events.recordPaymentEvent(trx, { projectId: payment.project_id, mode: payment.mode, type, payment: presentPayment(payment), at })
  }

  /** Writes in a transaction of its own; an answer already recorded gives the existing row. */
  async record(row: NewPayment, outcome: Outcome, at: Date, actor: AuditActor): Promise<StoredPayment> {
    return recorded(() => this.deps.db.transaction().execute((trx) => this.write(trx, row, outcome, at, actor)))
  }
}

/** Runs `write`, turning an AlreadyRecorded into the row it found. */
export async function recorded(write: () => Promise<StoredPayment>): Promise<StoredPayment> {
  try {
    return await write()
  } catch (error) {
    if (error instanceof AlreadyRecorded) return error.payment
    throw error
  }
}

/** The answer for a stored attempt: the object, or for a decline (a failed payout) the 402 (502) that names it. */
export function answer(payment: StoredPayment, nextAction?: NextAction): PaymentObject {
  if (payment.status === 'declined') throw new PaymentDeclinedError(payment.kind, payment.id, payment.decline_code ?? 'generic_decline')
  if (payment.status === 'failed') throw new PayoutFailedError(payment.id, payment.failure_code ?? 'acquirer_rejected')
  return presentPayment(payment, nextAction)
}
