// 3-D Secure: a payment may wait for its cardholder (status requires_action) and then carries
// the authentication's result. What it needs while it waits lives in payment_actions, one row
// per waiting payment, deleted in the transaction that ends the wait (so the sealed card in it
// is destroyed then).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // JSON {version, flow, result, eci}, once an authentication ran.
  await db.schema.alterTable('payments').addColumn('three_d_secure', 'text').execute()
  await db.schema.alterTable('payments').addColumn('authentication_reference', 'text').execute()

  await db.schema
    .createTable('payment_actions')
    .addColumn('payment_id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    // The acquirer's authentication id: what its signed notification names.
    .addColumn('authentication_reference', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('challenge_url', 'text', (c) => c.notNull())
    // The vault's own page that shows the challenge (next_action.url).
    .addColumn('action_url', 'text', (c) => c.notNull())
    .addColumn('capture', 'integer', (c) => c.notNull())
    // A card payment: its number sealed with the project's data key (bound to the payment id),
    // its expiry and name, and whether to save it once the payment succeeds. Null for a token payment.
    .addColumn('card_data_key_id', 'text')
    .addColumn('card_ciphertext', 'text')
    .addColumn('exp_month', 'integer')
    .addColumn('exp_year', 'integer')
    .addColumn('holder_name', 'text')
    .addColumn('save_card', 'integer', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    // Who created the payment: the actor of a token the payment saves.
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    // A process finishing the payment holds it until then; the cancel job leaves it alone meanwhile.
    .addColumn('lease_until', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('payment_actions_authentication').on('payment_actions').column('authentication_reference').unique().execute()
  await db.schema.createIndex('payment_actions_expiry').on('payment_actions').column('expires_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payment_actions').execute()
  await db.schema.alterTable('payments').dropColumn('authentication_reference').execute()
  await db.schema.alterTable('payments').dropColumn('three_d_secure').execute()
}
