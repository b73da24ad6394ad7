// Retention (seed 003): a token is purged 14 months after its card's expiry or its last use,
// whichever is later, plus any extension (at most 24 months). Purging destroys the ciphertext
// and the card details, keeps a tombstone (status `deleted`) and emits token.deleted.
import type { Database, TokenUpdate } from '../store/schema.js'
import { findToken, type TokenKey } from '../store/tokens.js'
import { retainUntil } from '../tokens/retention.js'
import type { Kysely } from 'kysely'
import { TOKEN_JOB_DEFAULTS, type TokenJobDeps } from './expiry.js'
import type { Job, JobReport } from './scheduler.js'

export const RETENTION_ACTOR = { kind: 'system', job: 'retention' } as const

/** What a purge leaves: no ciphertext, no data key, no name, no fingerprint, no BIN. */
function purgePatch(now: string): TokenUpdate {
  return { status: 'deleted', card_ciphertext: null, data_key_id: null, account_key: null, holder_name: null, fingerprint: '', bin: '', deleted_at: now, updated_at: now }
}

export class RetentionJob implements Job {
  readonly name = 'retention'
  constructor(private readonly deps: TokenJobDeps) {}

  async run(): Promise<JobReport> {
    const { db, clock } = this.deps
    const batchSize = this.deps.batchSize ?? TOKEN_JOB_DEFAULTS.batchSize
    const at = clock.now()
    const now = at.toISOString()
    const report = { purged: 0, kept: 0 }
    for (;;) {
      const due = await db.selectFrom('tokens').select(['project_id', 'mode', 'token']).where('status', '!=', 'deleted').where('retain_until', '<=', now).limit(batchSize).execute()
      for (const t of due) report[await this.purge({ projectId: t.project_id, mode: t.mode, token: t.token }, at)]++
      if (due.length < batchSize) return report
    }
  }

  /**
   * Re-reads the row in the transaction and recomputes its date from the policy, so a token used
   * or extended since its stored date was written is kept (its date corrected), never purged early.
   */
  private async purge(key: TokenKey, at: Date): Promise<'purged' | 'kept'> {
    const now = at.toISOString()
    return this.deps.db.transaction().execute(async (trx: Kysely<Database>) => {
      const row = await findToken(trx, key)
      if (!row || row.status === 'deleted') return 'kept'
      const until = retainUntil(row)
      if (until > now) {
        await trx.updateTable('tokens').set({ retain_until: until }).where('project_id', '=', key.projectId).where('mode', '=', key.mode).where('token', '=', key.token).execute()
        return 'kept'
      }
      const result = await trx
        .updateTable('tokens')
        .set(purgePatch(now))
        .where('project_id', '=', key.projectId)
        .where('mode', '=', key.mode)
        .where('token', '=', key.token)
        .where('status', '!=', 'deleted')
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) return 'kept'
      const purged = await findToken(trx, key)
      if (purged) await this.deps.recorder.record(trx, { type: 'token.deleted', row: purged, actor: RETENTION_ACTOR, at })
      return 'purged'
    })
  }
}
