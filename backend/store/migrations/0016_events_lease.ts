// The dispatcher reads back the events it has just claimed by their lease owner (store/events.ts,
// claimDueEvents), in every process at every poll: without an index that read scanned the whole
// outbox, which keeps every event for its retention period (a stall of the event loop growing
// with the outbox). A partial index holds only the rows claimed at this moment.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('events_lease').on('events').column('lease_owner').where(sql.ref('lease_owner'), 'is not', null).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_lease').execute()
}
