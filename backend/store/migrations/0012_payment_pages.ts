// Hosted payment pages (DESIGN.md "Hosted payment page"): what the merchant's server asked for,
// the page secret's hash, the attempt lock, and what the page ended with. No card data.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payment_pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    // The secret key that made the page: payments the page makes act for it.
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('page_mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('amount', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('capture', 'integer', (c) => c.notNull())
    .addColumn('save_card', 'integer', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('return_url', 'text', (c) => c.notNull())
    .addColumn('cancel_url', 'text')
    // SHA-256 of the secret the page's browser code holds; replaced each time the page is opened.
    .addColumn('secret_hash', 'text')
    // While an attempt runs nobody else may start one: the lock ends here.
    .addColumn('locked_until', 'text')
    .addColumn('declines', 'integer', (c) => c.notNull())
    .addColumn('token', 'text')
    .addColumn('payment_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payment_pages').execute()
}
