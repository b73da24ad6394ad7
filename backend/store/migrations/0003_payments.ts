// Payments and payouts (amounts, state and the acquirer's reference, never card data), and the
// small key-value table where jobs keep their cursors (the account updater's `since`).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // Minor units can pass 2^31 (99 999 999 999 is the ceiling): bigint, read through Number().
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('amount_captured', 'bigint', (c) => c.notNull())
    .addColumn('amount_refunded', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('token', 'text')
    .addColumn('initiator', 'text', (c) => c.notNull())
    .addColumn('decline_code', 'text')
    .addColumn('acquirer_reference', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // An acquirer answer replayed (a retry under the same derived key) can never make a second row.
  await db.schema.createIndex('payments_acquirer_reference').on('payments').columns(['project_id', 'mode', 'acquirer_reference']).unique().execute()
  // Not unique: a key is forgotten after a day and may then be used again.
  await db.schema.createIndex('payments_idempotency').on('payments').columns(['project_id', 'mode', 'idempotency_key']).execute()
  await db.schema.createIndex('payments_token').on('payments').columns(['project_id', 'mode', 'token', 'created_at']).execute()

  await db.schema
    .createTable('job_state')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_state').execute()
  await db.schema.dropTable('payments').execute()
}
