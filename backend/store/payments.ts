// Payment and payout rows: insert, look-ups by id, idempotency key and acquirer reference, and
// the amounts a capture or refund moves on. Rows hold no card data.
import type { Kysely } from 'kysely'
import type { Database, Mode, NewPayment, PaymentKind, PaymentRow, PaymentStatus } from './schema.js'

export interface PaymentKey {
  projectId: string
  mode: Mode
  kind: PaymentKind
  id: string
}

/** A payment row with its amounts as numbers, whichever driver read it. */
export interface StoredPayment extends Omit<PaymentRow, 'amount' | 'amount_captured' | 'amount_refunded'> {
  amount: number
  amount_captured: number
  amount_refunded: number
}

function fromRow(row: PaymentRow): StoredPayment {
  return { ...row, amount: Number(row.amount), amount_captured: Number(row.amount_captured), amount_refunded: Number(row.amount_refunded) }
}

export async function insertPayment(db: Kysely<Database>, row: NewPayment): Promise<void> {
  await db.insertInto('payments').values(row).execute()
}

export async function findPayment(db: Kysely<Database>, key: PaymentKey): Promise<StoredPayment | undefined> {
  const row = await db
    .selectFrom('payments')
    .selectAll()
    .where('project_id', '=', key.projectId)
    .where('mode', '=', key.mode)
    .where('kind', '=', key.kind)
    .where('id', '=', key.id)
    .executeTakeFirst()
  return row && fromRow(row)
}

export async function findPaymentByReference(db: Kysely<Database>, projectId: string, mode: Mode, reference: string): Promise<StoredPayment | undefined> {
  const row = await db
    .selectFrom('payments')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('mode', '=', mode)
    .where('acquirer_reference', '=', reference)
    .executeTakeFirst()
  return row && fromRow(row)
}

export interface PaymentAmounts {
  status: PaymentStatus
  amount_captured: number
  amount_refunded: number
}

/**
 * Sets what the acquirer reported after a capture or refund. Amounts only grow, so an older
 * answer that arrives after a newer one (two processes) cannot move the row back.
 */
export async function applyPaymentAmounts(db: Kysely<Database>, key: PaymentKey, amounts: PaymentAmounts, at: string): Promise<StoredPayment> {
  await db
    .updateTable('payments')
    .set({ ...amounts, updated_at: at })
    .where('project_id', '=', key.projectId)
    .where('mode', '=', key.mode)
    .where('kind', '=', key.kind)
    .where('id', '=', key.id)
    .where('amount_captured', '<=', amounts.amount_captured)
    .where('amount_refunded', '<=', amounts.amount_refunded)
    .execute()
  return (await findPayment(db, key)) as StoredPayment
}
