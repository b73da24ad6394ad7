// Expiry: a token whose card's expiry month has ended becomes `expired`, with a token.expired
// event, by the clock and not by any request (seed 001: the gateway expires tokens by itself
// and tells the merchant with a callback).
import type { Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import { findToken, type TokenKey } from '../store/tokens.js'
import type { Job, JobReport } from './scheduler.js'
import { sweepTokens, type TokenJobDeps } from './token-sweep.js'

export const EXPIRY_ACTOR = { kind: 'system', job: 'expiry' } as const

export class ExpiryJob implements Job {
  readonly name = 'expiry'
  constructor(private readonly deps: TokenJobDeps) {}

  run(): Promise<JobReport> {
    return sweepTokens(this.deps, (eb, now) => eb.and([eb('status', '=', 'active'), eb('expires_at', '<=', now)]), (trx, key, at) => this.expire(trx, key, at), { expired: 0, taken: 0 })
  }

  /** The update is conditional, so of several processes only one expires a token and tells of it. */
  private async expire(trx: Kysely<Database>, key: TokenKey, at: Date): Promise<'expired' | 'taken'> {
    const now = at.toISOString()
    const result = await trx
      .updateTable('tokens')
      .set({ status: 'expired', updated_at: now })
      .where('project_id', '=', key.projectId)
      .where('mode', '=', key.mode)
      .where('token', '=', key.token)
      .where('status', '=', 'active')
      .where('expires_at', '<=', now)
      .executeTakeFirst()
    const row = Number(result.numUpdatedRows) === 1 ? await findToken(trx, key) : undefined
    if (!row) return 'taken'
    await this.deps.recorder.record(trx, { type: 'token.expired', row, actor: EXPIRY_ACTOR, at })
    return 'expired'
  }
}
