// Reads the vault's tables directly, to assert what a request stored or did not store.
import type { TestVault } from './vault.js'

export async function tableCounts(vault: TestVault): Promise<Record<string, number>> {
  const db = vault.running.vault.store.db
  const counts: Record<string, number> = {}
  for (const table of ['tokens', 'seen_jtis', 'idempotency_keys', 'audit_log', 'data_keys'] as const) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    counts[table] = Number(row.n)
  }
  return counts
}
