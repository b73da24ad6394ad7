// The audit log becomes a hash chain per project and mode: each event gains its position, the
// previous event's hash and its own (backend/audit/chain.ts), uses of a card name their payment,
// and audit_heads keeps each chain's last position and hash. Rows written before this
// migration are chained here, in the order they were written (created_at, then id).
import { PostgresAdapter, sql, type Kysely } from 'kysely'
import { eventHash, genesisHash } from '../../audit/chain.js'
import type { Database, Mode } from '../schema.js'

const BATCH = 1000

export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<Database>
  await db.schema.alterTable('audit_log').addColumn('payment', 'text').execute()
  await db.schema.alterTable('audit_log').addColumn('seq', 'bigint').execute()
  await db.schema.alterTable('audit_log').addColumn('prev_hash', 'text').execute()
  await db.schema.alterTable('audit_log').addColumn('hash', 'text').execute()
  await db.schema
    .createTable('audit_heads')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_heads_pk', ['project_id', 'mode'])
    .execute()
  const chains = await db.selectFrom('audit_log').select(['project_id', 'mode']).distinct().execute()
  for (const chain of chains) await chainExisting(db, chain.project_id, chain.mode)
  await db.schema.createIndex('audit_chain').on('audit_log').columns(['project_id', 'mode', 'seq']).unique().execute()
  await headFollowsInserts(db)
}

/**
 * An inserted event moves its chain's head (in the engine: an append is one statement), and
 * `tessera_sha256_hex(text)` hashes in SQL (on SQLite every connection registers it; see
 * dialects/sqlite.ts).
 */
async function headFollowsInserts(db: Kysely<Database>): Promise<void> {
  const move = sql.raw('update audit_heads set seq = new.seq, hash = new.hash where project_id = new.project_id and mode = new.mode;')
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function tessera_sha256_hex(text) returns text language sql immutable strict as $$ select encode(sha256(convert_to($1, 'UTF8')), 'hex') $$`.execute(db)
    await sql`create function tessera_audit_head_follows() returns trigger language plpgsql as $$ begin ${move} return null; end $$`.execute(db)
    await sql`create trigger audit_head_follows after insert on audit_log for each row when (new.seq is not null) execute function tessera_audit_head_follows()`.execute(db)
  } else {
    await sql`create trigger audit_head_follows after insert on audit_log for each row when new.seq is not null begin ${move} end`.execute(db)
  }
}

async function chainExisting(db: Kysely<Database>, projectId: string, mode: Mode): Promise<void> {
  let seq = 0
  let prevHash = genesisHash(projectId, mode)
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['id', 'token', 'action', 'actor', 'request_id', 'created_at'])
      .where('project_id', '=', projectId)
      .where('mode', '=', mode)
      .where('seq', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .limit(BATCH)
      .execute()
    for (const row of rows) {
      seq++
      const hash = eventHash({ ...row, payment: null, prev_hash: prevHash })
      await db.updateTable('audit_log').set({ seq, prev_hash: prevHash, hash }).where('id', '=', row.id).execute()
      prevHash = hash
    }
    if (rows.length < BATCH) break
  }
  await db.insertInto('audit_heads').values({ project_id: projectId, mode, seq, hash: prevHash }).execute()
}

export async function down(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<Database>
  await sql`drop trigger audit_head_follows${db.getExecutor().adapter instanceof PostgresAdapter ? sql` on audit_log` : sql``}`.execute(db)
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop function tessera_audit_head_follows()`.execute(db)
    await sql`drop function tessera_sha256_hex(text)`.execute(db)
  }
  await db.schema.dropIndex('audit_chain').execute()
  await db.schema.dropTable('audit_heads').execute()
  for (const column of ['hash', 'prev_hash', 'seq', 'payment']) await db.schema.alterTable('audit_log').dropColumn(column).execute()
}
