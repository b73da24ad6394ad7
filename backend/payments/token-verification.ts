// POST /v1/tokens/:token/verify: a zero-amount authorization of the card behind an active
// token. Approved, the token records the acquirer as its verification and the use; declined,
// the 402 carries the decline code and the token is left as it was. Either way the use of the
// card is an audit event (token.verified, token.verification_declined).
import type { Kysely } from 'kysely'
import { AcquirerDeclinedError, type AcquirerClient } from '../acquirer/client.js'
import type { Clock } from '../clock.js'
import { tokenNotFound } from '../errors.js'
import type { Principal } from '../projects/project.js'
import { appendAudit } from '../store/audit.js'
import type { Database, TokenRow } from '../store/schema.js'
import type { ChangeRecorder } from '../tokens/changes.js'
import { acquirerKey, type RequestMeta } from './request.js'
import { tokenKeyOf, type TokenCards } from './token-cards.js'

export interface TokenVerifierDeps {
  db: Kysely<Database>
  clock: Clock
  acquirer: AcquirerClient
  tokenCards: TokenCards
  recorder: ChangeRecorder
}

export class TokenVerifier {
  constructor(private readonly deps: TokenVerifierDeps) {}

  /** `currency` (ISO 4217) goes to the acquirer with the zero-amount authorization when given. */
  async verify(principal: Principal, token: string, meta: RequestMeta, currency?: string): Promise<TokenRow> {
    const row = await this.deps.tokenCards.usable(principal, token)
    // No CVC: the vault never keeps one, so a stored card is verified without it.
    try {
      await this.deps.acquirer.verify({ card: await this.deps.tokenCards.card(row), currency }, { idempotencyKey: acquirerKey(principal, meta, `verify:${token}`) })
    } catch (error) {
      if (error instanceof AcquirerDeclinedError) {
        await this.deps.db.transaction().execute((trx) => appendAudit(trx, { projectId: row.project_id, mode: row.mode, token: row.token, action: 'token.verification_declined', actor: meta.actor, at: this.deps.clock.now() }))
      }
      throw error
    }
    const now = this.deps.clock.now()
    return this.deps.db.transaction().execute(async (trx) => {
      const patch = { verification_strategy: 'acquirer', verification_result: 'passed', last_updated_by: 'merchant' as const, updated_at: now.toISOString() }
      const updated = await this.deps.tokenCards.markUsed(trx, tokenKeyOf(row), now, patch)
      if (!updated) throw tokenNotFound()
      await this.deps.recorder.record(trx, { type: 'token.updated', row: updated, actor: meta.actor, at: now, auditAction: 'token.verified' })
      return updated
    })
  }
}
