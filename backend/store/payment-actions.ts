// Payments waiting for their cardholder (3-D Secure): the row that holds what they need to go
// on, the lease a finishing process takes, and the status change that ends the wait.
import type { Insertable, Kysely } from 'kysely'
import { findPayment, type StoredPayment } from './payments.js'
import type { Database, PaymentActionRow, PaymentActionTable, PaymentStatus } from './schema.js'

export type NewPaymentAction = Insertable<PaymentActionTable>

export async function insertPaymentAction(db: Kysely<Database>, row: NewPaymentAction): Promise<void> {
  await db.insertInto('payment_actions').values(row).execute()
}

export async function findPaymentAction(db: Kysely<Database>, paymentId: string): Promise<PaymentActionRow | undefined> {
  return db.selectFrom('payment_actions').selectAll().where('payment_id', '=', paymentId).executeTakeFirst()
}

export async function findPaymentActionByAuthentication(db: Kysely<Database>, reference: string): Promise<PaymentActionRow | undefined> {
  return db.selectFrom('payment_actions').selectAll().where('authentication_reference', '=', reference).executeTakeFirst()
}

/** Takes the action until `until` unless another process holds it: true when taken. */
export async function leasePaymentAction(db: Kysely<Database>, paymentId: string, now: string, until: string): Promise<boolean> {
  const result = await db
    .updateTable('payment_actions')
    .set({ lease_until: until })
    .where('payment_id', '=', paymentId)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function releasePaymentAction(db: Kysely<Database>, paymentId: string): Promise<void> {
  await db.updateTable('payment_actions').set({ lease_until: null }).where('payment_id', '=', paymentId).execute()
}

/** Actions whose 15 minutes are over and that nobody is finishing now, oldest first. */
export async function expiredPaymentActions(db: Kysely<Database>, now: string, limit: number): Promise<PaymentActionRow[]> {
  return db
    .selectFrom('payment_actions')
    .selectAll()
    .where('expires_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('expires_at')
    .limit(limit)
    .execute()
}

export interface EndOfAction {
  status: PaymentStatus
  amount_captured?: number
  decline_code?: string | null
  acquirer_reference?: string | null
  three_d_secure?: string | null
  token?: string | null
}

/**
 * Ends the wait inside the caller's transaction: the payment leaves requires_action and the
 * action row (with its sealed card) is deleted. Undefined when the payment had left it already.
 */
export async function endPaymentAction(trx: Kysely<Database>, action: PaymentActionRow, end: EndOfAction, at: string): Promise<StoredPayment | undefined> {
  const result = await trx
    .updateTable('payments')
    .set({ ...end, updated_at: at })
    .where('project_id', '=', action.project_id)
    .where('mode', '=', action.mode)
    .where('id', '=', action.payment_id)
    .where('status', '=', 'requires_action')
    .executeTakeFirst()
  await trx.deleteFrom('payment_actions').where('payment_id', '=', action.payment_id).execute()
  if (Number(result.numUpdatedRows) !== 1) return undefined
  return findPayment(trx, { projectId: action.project_id, mode: action.mode, kind: 'payment', id: action.payment_id })
}

/** A payment by its id alone (the vault's 3-D Secure page knows no project). */
export async function findPaymentById(db: Kysely<Database>, id: string): Promise<Pick<StoredPayment, 'id' | 'project_id' | 'mode' | 'kind' | 'status'> | undefined> {
  return db.selectFrom('payments').select(['id', 'project_id', 'mode', 'kind', 'status']).where('id', '=', id).executeTakeFirst()
}
