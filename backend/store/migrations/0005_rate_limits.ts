// Rate-limit buckets shared by every process of a vault (one row per limit and key or address).
// Each row is a GCRA bucket: `tat` is the time (ms) at which the bucket would be full again.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tat', 'double precision', (c) => c.notNull())
    // 1 when the last request was allowed: the one statement that takes a token reports it here.
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'double precision', (c) => c.notNull())
    .addColumn('emission_ms', 'double precision', (c) => c.notNull())
    .addColumn('tolerance_ms', 'double precision', (c) => c.notNull())
    .execute()
  // No index on tat: every take rewrites it, and an index would make each write touch two
  // trees (and rule out PostgreSQL's in-place HOT updates). The once-a-minute prune scans.
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_buckets').execute()
}
