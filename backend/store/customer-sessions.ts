// Customer session rows: looked up by the SHA-256 of the client secret, never by the secret.
import type { Kysely } from 'kysely'
import type { CustomerSessionRow, CustomerSessionTable, Database } from './schema.js'

export async function insertCustomerSession(db: Kysely<Database>, row: CustomerSessionTable): Promise<void> {
  await db.insertInto('customer_sessions').values(row).execute()
}

export async function findCustomerSession(db: Kysely<Database>, secretHash: string): Promise<CustomerSessionRow | undefined> {
  return db.selectFrom('customer_sessions').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst()
}

/** Forgets sessions that expired before `before`; answers how many. */
export async function pruneCustomerSessions(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db.deleteFrom('customer_sessions').where('expires_at', '<=', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
