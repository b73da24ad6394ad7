// Reads the vault's tables directly, to assert what a request stored or did not store.
import { sql } from 'kysely'
import type { TestVault } from './vault.js'

/**
 * Row counts of every table the vault owns (all of them: tables added later are counted too),
 * except the rate-limit buckets: every request, refused ones too, draws from them by design.
 */
export async function tableCounts(vault: TestVault): Promise<Record<string, number>> {
  const db = vault.running.vault.store.db
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_') && n !== 'rate_limit_buckets').sort()
  const counts: Record<string, number> = {}
  for (const table of tables) {
    const row = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db)
    counts[table] = Number(row.rows[0]?.n)
  }
  return counts
}

/** Every stored token row, in a stable order: to prove a request changed none of them. */
export async function tokenRows(vault: TestVault): Promise<Record<string, unknown>[]> {
  return vault.running.vault.store.db.selectFrom('tokens').selectAll().orderBy('project_id').orderBy('mode').orderBy('token').execute()
}
