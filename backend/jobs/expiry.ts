// Expiry: a token whose card's expiry month has ended becomes `expired`, with a token.expired
// event, by the clock and not by any request (seed 001: the gateway expires tokens by itself
// and tells the merchant with a callback).
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import type { Database } from '../store/schema.js'
import { findToken, type TokenKey } from '../store/tokens.js'
import type { ChangeRecorder } from '../tokens/changes.js'
import type { Job, JobReport } from './scheduler.js'

export const EXPIRY_ACTOR = { kind: 'system', job: 'expiry' } as const

export interface TokenJobDeps {
  db: Kysely<Database>
  clock: Clock
  recorder: ChangeRecorder
  /** Tokens read per query; a run goes on until none is left. */
  batchSize?: number
}

export const TOKEN_JOB_DEFAULTS = { batchSize: 200 } as const

export class ExpiryJob implements Job {
  readonly name = 'expiry'
  constructor(private readonly deps: TokenJobDeps) {}

  async run(): Promise<JobReport> {
    const { db, clock } = this.deps
    const batchSize = this.deps.batchSize ?? TOKEN_JOB_DEFAULTS.batchSize
    const at = clock.now()
    const now = at.toISOString()
    let expired = 0
    for (;;) {
      const due = await db.selectFrom('tokens').select(['project_id', 'mode', 'token']).where('status', '=', 'active').where('expires_at', '<=', now).limit(batchSize).execute()
      for (const t of due) if (await this.expire({ projectId: t.project_id, mode: t.mode, token: t.token }, at)) expired++
      if (due.length < batchSize) return { expired }
    }
  }

  /** The update is conditional, so of several processes only one expires a token and tells of it. */
  private async expire(key: TokenKey, at: Date): Promise<boolean> {
    const now = at.toISOString()
    return this.deps.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('tokens')
        .set({ status: 'expired', updated_at: now })
        .where('project_id', '=', key.projectId)
        .where('mode', '=', key.mode)
        .where('token', '=', key.token)
        .where('status', '=', 'active')
        .where('expires_at', '<=', now)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) return false
      const row = await findToken(trx, key)
      if (!row) return false
      await this.deps.recorder.record(trx, { type: 'token.expired', row, actor: EXPIRY_ACTOR, at })
      return true
    })
  }
}
