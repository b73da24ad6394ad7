// The outbox: every token change and payment writes its event row inside the caller's
// transaction, so an event exists exactly when its change committed. The dispatcher sends
// the rows later (at least once); nothing here talks to the network.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import { insertEvent } from '../store/events.js'
import type { Database, EventRow, Mode, TokenRow } from '../store/schema.js'
import type { ChangeRecorder } from '../tokens/changes.js'
import { presentToken } from '../tokens/present.js'
import { RETRY_POLICY } from './retry-policy.js'
import type { EventDataObject, EventObject, EventType, PaymentEventType } from './types.js'

export interface NewEvent {
  projectId: string
  mode: Mode
  type: EventType
  /** Already presented for the API: masked card data only. */
  object: EventDataObject
  /** When the change happened (the caller's clock). */
  at: Date
}

/** A payment or payout change, as the payments code reports it. */
export interface PaymentEventInput {
  projectId: string
  mode: Mode
  type: PaymentEventType
  /** The API's payment (or payout) object: `{object: 'payment' | 'payout', id, status, amount, ...}`. */
  payment: EventDataObject & { object: 'payment' | 'payout'; id: string }
  at: Date
}

export const newEventId = () => 'evt_' + crypto.randomBytes(12).toString('hex')

/** Writes one event into the outbox on `db` (pass the transaction of the change) and returns its id. */
export async function appendEvent(db: Kysely<Database>, event: NewEvent): Promise<string> {
  return (await writeEvent(db, event)).id
}

/** appendEvent(), also saying whether the event waits for delivery (false: the project has no webhook URL). */
async function writeEvent(db: Kysely<Database>, event: NewEvent): Promise<{ id: string; pending: boolean }> {
  const id = newEventId()
  const createdAt = event.at.toISOString()
  const body: EventObject = { object: 'event', id, type: event.type, created_at: createdAt, data: { object: event.object }, mode: event.mode }
  const { pending } = await insertEvent(db, {
    id,
    project_id: event.projectId,
    mode: event.mode,
    type: event.type,
    payload: JSON.stringify(body),
    created_at: createdAt,
    delivery_status: 'pending',
    attempts: 0,
    next_attempt_at: createdAt,
    deliver_until: new Date(event.at.getTime() + RETRY_POLICY.deliverForMs).toISOString(),
    lease_owner: null,
    lease_expires_at: null,
    last_attempt_at: null,
    last_response_status: null,
    last_error: null,
    delivered_at: null,
  })
  return { id, pending }
}

/**
 * The payments entry point: call it with the payment's own transaction, after the payment row
 * is written, for payment.authorized / captured / refunded / declined and payout.paid.
 */
export function recordPaymentEvent(trx: Kysely<Database>, input: PaymentEventInput): Promise<string> {
  return appendEvent(trx, paymentEvent(input))
}

const paymentEvent = (input: PaymentEventInput): NewEvent => ({ projectId: input.projectId, mode: input.mode, type: input.type, object: input.payment, at: input.at })

/** A token in an event: the API's token object, or for `token.deleted` a tombstone without card data. */
export function presentTokenForEvent(row: TokenRow): EventDataObject {
  if (row.status === 'deleted') return { object: 'token', token: row.token, deleted: true, mode: row.mode, customer_id: row.customer_id, deleted_at: row.deleted_at }
  return { ...presentToken(row) }
}

/** An event as GET /v1/events shows it: the delivered body plus its delivery state. */
export function presentEvent(row: EventRow) {
  return {
    ...(JSON.parse(row.payload) as EventObject),
    delivery: {
      status: row.delivery_status,
      attempts: row.attempts,
      last_attempt_at: row.last_attempt_at,
      last_response_status: row.last_response_status,
      last_error: row.last_error,
      next_attempt_at: row.delivery_status === 'pending' ? row.next_attempt_at : null,
      delivered_at: row.delivered_at,
    },
  }
}

export interface OutboxOptions {
  /** Called after an event is appended (inside the transaction): the dispatcher looks soon after. */
  onAppend?: () => void
}

/** The outbox as the vault wires it: the token-change recorder, and payments, both nudging the dispatcher. */
export class Outbox {
  readonly recorder: ChangeRecorder

  constructor(private readonly options: OutboxOptions = {}) {
    this.recorder = {
      record: async (trx, change) => {
        await this.append(trx, { projectId: change.row.project_id, mode: change.row.mode, type: change.type, object: presentTokenForEvent(change.row), at: change.at })
      },
    }
  }

  /** Any other event (a payment page's), inside the transaction of its change. */
  async append(trx: Kysely<Database>, event: NewEvent): Promise<string> {
    const { id, pending } = await writeEvent(trx, event)
    // An event written settled (no webhook URL) gives the dispatcher nothing to do.
    if (pending) this.options.onAppend?.()
    return id
  }

  recordPaymentEvent(trx: Kysely<Database>, input: PaymentEventInput): Promise<string> {
    return this.append(trx, paymentEvent(input))
  }
}
