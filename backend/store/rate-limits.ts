// Rate-limit buckets in the database, so every process of a vault (node:cluster workers, other
// hosts) draws from one bucket. A take is one statement: an upsert that refills, decides and
// records in the row itself (GCRA: one number per bucket, the time it is full again), atomic on
// SQLite and PostgreSQL alike, with no read-then-write race between processes.
import { sql, type Kysely } from 'kysely'
import type { Database } from './schema.js'

export interface BucketTake {
  key: string
  /** Milliseconds between two tokens (1000 / rate per second). */
  emissionMs: number
  /** How far ahead of now a bucket may run: (burst - 1) × emissionMs. */
  toleranceMs: number
}

export interface BucketAnswer {
  key: string
  allowed: boolean
  /** When refused: milliseconds until one token is available. */
  waitMs: number
}

/**
 * Takes one token from each bucket. Rows are written in the order given, so two statements
 * never lock two rows in opposite orders (PostgreSQL) when callers keep one order.
 */
export async function takeTokens(db: Kysely<Database>, takes: BucketTake[], now: number): Promise<BucketAnswer[]> {
  if (takes.length === 0) return []
  const b = sql.ref('rate_limit_buckets')
  // The bucket's level now: its stored tat, or now when it has refilled completely.
  const base = sql<number>`case when ${b}.tat > excluded.updated_at then ${b}.tat else excluded.updated_at end`
  const fits = sql<boolean>`${base} - excluded.updated_at <= excluded.tolerance_ms`
  const rows = await db
    .insertInto('rate_limit_buckets')
    // A bucket seen for the first time is full, so its first request is allowed.
    .values(takes.map((t) => ({ key: t.key, tat: now + t.emissionMs, ok: 1, updated_at: now, emission_ms: t.emissionMs, tolerance_ms: t.toleranceMs })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        ok: sql<number>`case when ${fits} then 1 else 0 end`,
        tat: sql<number>`case when ${fits} then ${base} + excluded.emission_ms else ${b}.tat end`,
        updated_at: sql<number>`excluded.updated_at`,
        emission_ms: sql<number>`excluded.emission_ms`,
        tolerance_ms: sql<number>`excluded.tolerance_ms`,
      }),
    )
    .returning(['key', 'tat', 'ok', 'tolerance_ms'])
    .execute()
  return rows.map((r) => ({ key: r.key, allowed: Number(r.ok) === 1, waitMs: Number(r.ok) === 1 ? 0 : Number(r.tat) - now - Number(r.tolerance_ms) }))
}

/** Drops buckets that have refilled completely: they mean the same as no row. */
export async function pruneBuckets(db: Kysely<Database>, now: number): Promise<void> {
  await db.deleteFrom('rate_limit_buckets').where('tat', '<', now).execute()
}
