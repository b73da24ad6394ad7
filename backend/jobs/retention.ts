// Retention (seed 003): a token is purged 14 months after its card's expiry or its last use,
// whichever is later, plus any extension (at most 24 months). Purging destroys the ciphertext
// and the card details, keeps a tombstone (status `deleted`) and emits token.deleted.
import type { Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import { findToken, type TokenKey } from '../store/tokens.js'
import { retainUntil, tombstone } from '../tokens/retention.js'
import type { Job, JobReport } from './scheduler.js'
import { sweepTokens, type TokenJobDeps } from './token-sweep.js'

export const RETENTION_ACTOR = { kind: 'system', job: 'retention' } as const


export class RetentionJob implements Job {
  readonly name = 'retention'
  constructor(private readonly deps: TokenJobDeps) {}

  run(): Promise<JobReport> {
    return sweepTokens(this.deps, (eb, now) => eb.and([eb('status', '!=', 'deleted'), eb('retain_until', '<=', now)]), (trx, key, at) => this.purge(trx, key, at), { purged: 0, kept: 0 })
  }

  /**
   * Re-reads the row in the transaction and recomputes its date from the policy, so a token used
   * or extended since its stored date was written is kept (its date corrected), never purged early.
   */
  private async purge(trx: Kysely<Database>, key: TokenKey, at: Date): Promise<'purged' | 'kept'> {
    const now = at.toISOString()
    const row = await findToken(trx, key)
    if (!row || row.status === 'deleted') return 'kept'
    const until = retainUntil(row)
    const thisToken = trx.updateTable('tokens').where('project_id', '=', key.projectId).where('mode', '=', key.mode).where('token', '=', key.token)
    if (until > now) {
      await thisToken.set({ retain_until: until }).execute()
      return 'kept'
    }
    const result = await thisToken.set(tombstone(now)).where('status', '!=', 'deleted').executeTakeFirst()
    const purged = Number(result.numUpdatedRows) === 1 ? await findToken(trx, key) : undefined
    if (!purged) return 'kept'
    await this.deps.recorder.record(trx, { type: 'token.deleted', row: purged, actor: RETENTION_ACTOR, at })
    return 'purged'
  }
}
