// What the token jobs share: read the tokens a condition makes due, in batches, and handle each
// one in its own transaction, until a batch comes back short.
import type { ExpressionBuilder, ExpressionWrapper, Kysely, SqlBool } from 'kysely'
import type { Clock } from '../clock.js'
import type { Database } from '../store/schema.js'
import type { TokenKey } from '../store/tokens.js'
import type { ChangeRecorder } from '../tokens/changes.js'

export interface TokenJobDeps {
  db: Kysely<Database>
  clock: Clock
  recorder: ChangeRecorder
  /** Tokens read per query; a run goes on until none is left. */
  batchSize?: number
}

export const TOKEN_JOB_DEFAULTS = { batchSize: 200 } as const

/**
 * Calls `handle` for every token `due(now)` selects and counts its outcomes. `handle` must leave a
 * token it has handled no longer due (or a run would read it again).
 */
export async function sweepTokens<Outcome extends string>(
  deps: TokenJobDeps,
  due: (eb: ExpressionBuilder<Database, 'tokens'>, now: string) => ExpressionWrapper<Database, 'tokens', SqlBool>,
  handle: (trx: Kysely<Database>, key: TokenKey, at: Date) => Promise<Outcome>,
  report: Record<Outcome, number>,
): Promise<Record<Outcome, number>> {
  const batchSize = deps.batchSize ?? TOKEN_JOB_DEFAULTS.batchSize
  const at = deps.clock.now()
  const now = at.toISOString()
  for (;;) {
    const batch = await deps.db.selectFrom('tokens').select(['project_id', 'mode', 'token']).where((eb) => due(eb, now)).limit(batchSize).execute()
    for (const t of batch) {
      const key = { projectId: t.project_id, mode: t.mode, token: t.token }
      report[await deps.db.transaction().execute((trx) => handle(trx, key, at))]++
    }
    if (batch.length < batchSize) return report
  }
}
