// Payment page rows: insert, read by id, the attempt lock (claimed atomically, so two tabs or
// a double click cannot pay twice), and the end of the page. Rows hold no card data.
import type { Insertable, Kysely } from 'kysely'
import type { Database, Mode, PaymentPageRow, PaymentPageTable } from './schema.js'

/** A page row with its amount as a number, whichever driver read it. */
export interface StoredPaymentPage extends Omit<PaymentPageRow, 'amount'> {
  amount: number | null
}

const fromRow = (row: PaymentPageRow): StoredPaymentPage => ({ ...row, amount: row.amount === null ? null : Number(row.amount) })

export async function insertPaymentPage(db: Kysely<Database>, row: Insertable<PaymentPageTable>): Promise<void> {
  await db.insertInto('payment_pages').values(row).execute()
}

export async function findPaymentPage(db: Kysely<Database>, id: string): Promise<StoredPaymentPage | undefined> {
  const row = await db.selectFrom('payment_pages').selectAll().where('id', '=', id).executeTakeFirst()
  return row && fromRow(row)
}

export async function setPageSecret(db: Kysely<Database>, id: string, secretHash: string): Promise<void> {
  await db.updateTable('payment_pages').set({ secret_hash: secretHash }).where('id', '=', id).where('status', '=', 'open').execute()
}

/**
 * Takes the attempt lock of an open, unexpired page held by `secretHash` until `until`; false
 * when the page is no longer open, expired, opened elsewhere, or another attempt holds it.
 */
export async function lockPaymentPage(db: Kysely<Database>, id: string, secretHash: string, now: string, until: string): Promise<boolean> {
  const result = await db
    .updateTable('payment_pages')
    .set({ locked_until: until })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('secret_hash', '=', secretHash)
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export interface PageEnd {
  status: 'open' | 'completed' | 'failed'
  declines: number
  token: string | null
  payment_id: string | null
  completed_at: string | null
}

/**
 * Writes how the attempt holding the lock ended and releases the lock; false when no attempt
 * holds it any more (another request ended it first), so an ending is written once.
 */
export async function endPaymentPageAttempt(db: Kysely<Database>, id: string, end: PageEnd): Promise<boolean> {
  const result = await db.updateTable('payment_pages').set({ ...end, locked_until: null }).where('id', '=', id).where('locked_until', 'is not', null).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** The attempt waits for the cardholder (3-D Secure): its payment is kept and the lock held until `until`. */
export async function holdPaymentPage(db: Kysely<Database>, id: string, paymentId: string, until: string): Promise<void> {
  await db.updateTable('payment_pages').set({ payment_id: paymentId, locked_until: until }).where('id', '=', id).execute()
}

/** A saved card as the page lists it: masked, nothing else. */
export interface SavedCardRow {
  token: string
  brand: string
  last4: string
  exp_month: number
  exp_year: number
}

/** A customer's active cards, newest first (at most ten: a page is no card manager). */
export async function activeCustomerCards(db: Kysely<Database>, projectId: string, mode: Mode, customerId: string): Promise<SavedCardRow[]> {
  return db
    .selectFrom('tokens')
    .select(['token', 'brand', 'last4', 'exp_month', 'exp_year'])
    .where('project_id', '=', projectId)
    .where('mode', '=', mode)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'active')
    .orderBy('created_at', 'desc')
    .limit(10)
    .execute()
}

/** Whether `token` is one of the customer's active cards. */
export async function activeCustomerCard(db: Kysely<Database>, projectId: string, mode: Mode, customerId: string, token: string): Promise<boolean> {
  const row = await db
    .selectFrom('tokens')
    .select('token')
    .where('project_id', '=', projectId)
    .where('mode', '=', mode)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'active')
    .where('token', '=', token)
    .executeTakeFirst()
  return row !== undefined
}
