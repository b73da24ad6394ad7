// What a write into a table with unique keys did: repositories answer this, so no service
// needs to know a driver's error for "that key is taken".
import type { InsertResult, QueryResult } from 'kysely'

export type WriteOutcome = 'inserted' | 'conflict'

/** The outcome of an `insert ... on conflict do nothing`: no row written means the key was taken. */
export function insertOutcome(result: InsertResult | undefined): WriteOutcome {
  return result !== undefined && Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? 'inserted' : 'conflict'
}

/** The same for a prepared insert (store/prepared.ts), which answers the driver's result. */
export function affectedOutcome(result: QueryResult<unknown>): WriteOutcome {
  return Number(result.numAffectedRows ?? 0n) > 0 ? 'inserted' : 'conflict'
}

/** A unique violation from either driver (SQLite, PostgreSQL), for the writes that cannot say `do nothing` (updates). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
}
