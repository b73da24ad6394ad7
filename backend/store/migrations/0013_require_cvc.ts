// A project may require the CVC when a customer pays with a saved card (the frame asks for it
// and sends it encrypted; the vault passes it to the acquirer and keeps nothing of it).
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('projects')
    .addColumn('require_cvc_for_saved_cards', 'integer', (c) => c.notNull().defaultTo(sql`0`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('projects').dropColumn('require_cvc_for_saved_cards').execute()
}
