// Token and payment operations the seeds add: who updated a token last and the stored
// credential's network transaction id (tokens), the projects' tokenize-on-purchase and
// account-updater settings, and a payment's recurring type and network transaction id.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // `merchant`, `customer`, `account_updater`, or null (never updated since created).
  await db.schema.alterTable('tokens').addColumn('last_updated_by', 'text').execute()
  // The network transaction id of the first customer-initiated recurring payment (seed 003).
  await db.schema.alterTable('tokens').addColumn('network_transaction_id', 'text').execute()
  await db.schema.alterTable('projects').addColumn('tokenize_on_purchase', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('projects').addColumn('account_updater', 'text', (c) => c.notNull().defaultTo(sql`'off'`)).execute()
  await db.schema.alterTable('payments').addColumn('recurring_type', 'text').execute()
  await db.schema.alterTable('payments').addColumn('network_transaction_id', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payments').dropColumn('network_transaction_id').execute()
  await db.schema.alterTable('payments').dropColumn('recurring_type').execute()
  await db.schema.alterTable('projects').dropColumn('account_updater').execute()
  await db.schema.alterTable('projects').dropColumn('tokenize_on_purchase').execute()
  await db.schema.alterTable('tokens').dropColumn('network_transaction_id').execute()
  await db.schema.alterTable('tokens').dropColumn('last_updated_by').execute()
}
