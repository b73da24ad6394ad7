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

export interface PaymentFilter {
  projectId: string
  mode: Mode
  kind: PaymentKind
  token?: string | undefined
  /** Payments by the tokens of this customer (a payment itself names no customer). */
  customerId?: string | undefined
  status?: PaymentStatus | undefined
}

/** Newest first, `limit + 1` rows (so the caller knows whether more follow), after a position. */
export async function listPayments(db: Kysely<Database>, filter: PaymentFilter, limit: number, after?: { createdAt: string; id: string }): Promise<StoredPayment[]> {
  let query = db.selectFrom('payments').selectAll().where('project_id', '=', filter.projectId).where('mode', '=', filter.mode).where('kind', '=', filter.kind)
  if (filter.token !== undefined) query = query.where('token', '=', filter.token)
  if (filter.status !== undefined) query = query.where('status', '=', filter.status)
  if (filter.customerId !== undefined) {
    const customerId = filter.customerId
    query = query.where('token', 'in', (eb) =>
      eb.selectFrom('tokens').select('tokens.token').where('tokens.project_id', '=', filter.projectId).where('tokens.mode', '=', filter.mode).where('tokens.customer_id', '=', customerId),
    )
  }
  if (after) query = query.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]))
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()
  return rows.map(fromRow)
}

/** Sets a status only while the row is still in `from` (a concurrent change wins); answers the row as it is now. */
export async function movePaymentStatus(db: Kysely<Database>, key: PaymentKey, from: PaymentStatus, to: PaymentStatus, at: string): Promise<{ moved: boolean; row: StoredPayment }> {
  const result = await db
    .updateTable('payments')
    .set({ status: to, updated_at: at })
    .where('project_id', '=', key.projectId)
    .where('mode', '=', key.mode)
    .where('kind', '=', key.kind)
    .where('id', '=', key.id)
    .where('status', '=', from)
    .executeTakeFirst()
  return { moved: Number(result.numUpdatedRows) > 0, row: (await findPayment(db, key)) as StoredPayment }
}
