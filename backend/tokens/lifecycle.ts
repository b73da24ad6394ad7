// A token's life after creation: read, update, revoke, delete (destroying the card), extend.
import type { Kysely } from 'kysely'
import type { AuditAction } from '../audit/chain.js'
import { cardExpiresAt, type Clock } from '../clock.js'
import { fingerprint } from '../crypto/fingerprint.js'
import { CardError, ConflictError, InvalidRequestError, tokenNotFound } from '../errors.js'
import type { Principal } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import type { Database, TokenRow, TokenUpdate } from '../store/schema.js'
import { findToken, updateToken, type TokenKey } from '../store/tokens.js'
import { checkExpiryDate } from '../../common/card-rules.js'
import type { CardIntake } from './card-intake.js'
import type { CardReplacement } from './card-replacement.js'
import type { Actor, ChangeRecorder, TokenChangeType } from './changes.js'
import { RETENTION, retainUntil, tombstone } from './retention.js'

export interface TokenUpdateInput {
  expMonth?: number | undefined
  expYear?: number | undefined
  name?: string | null | undefined
  /** The same card again as a JWE: its expiry and name replace the stored ones. */
  card?: string | undefined
}

export interface LifecycleDeps {
  db: Kysely<Database>
  clock: Clock
  projects: ProjectService
  intake: CardIntake
  recorder: ChangeRecorder
  /** Replaces the card behind a token with another number; without it another card is a card_mismatch. */
  replacement?: Pick<CardReplacement, 'replace'> | undefined
}


export class TokenLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  /** The live (not deleted) token, or a 404 that says nothing of other projects' tokens. */
  async get(principal: Principal, token: string): Promise<TokenRow> {
    const row = await findToken(this.deps.db, this.key(principal, token))
    if (!row || row.status === 'deleted') throw tokenNotFound()
    return row
  }

  async update(principal: Principal, token: string, input: TokenUpdateInput, actor: Actor): Promise<TokenRow> {
    const now = this.deps.clock.now()
    let changes: { expMonth?: number | undefined; expYear?: number | undefined; name?: string | null | undefined }
    let jti: string | undefined
    if (input.card !== undefined) {
      const payload = await this.deps.intake.open(principal, input.card)
      const keys = await this.deps.projects.keys(principal.project.id)
      if (fingerprint(keys.fingerprintKey, payload.number) !== (await this.get(principal, token)).fingerprint) {
        // Another card: stored behind the token where its format allows it (card-replacement.ts).
        if (!this.deps.replacement) throw new CardError('card_mismatch', 'The card is not the one behind this token.', 'card')
        return this.deps.replacement.replace(principal, token, payload, actor, 'merchant')
      }
      changes = { expMonth: payload.expMonth, expYear: payload.expYear, name: payload.name }
      jti = payload.jti
    } else {
      changes = { expMonth: input.expMonth, expYear: input.expYear, name: input.name }
    }
    return this.change(principal, token, 'token.updated', actor, now, async (trx, row) => {
      // Checked on the row read inside the transaction, so a concurrent revoke is never undone.
      if (row.status === 'revoked' || row.status === 'invalid') {
        throw new ConflictError('token_not_updatable', `A ${row.status} token cannot be updated.`, 'token')
      }
      // PATCH takes a secret key: the merchant's change.
      const patch: TokenUpdate = { updated_at: now.toISOString(), last_updated_by: 'merchant' }
      if (changes.expMonth !== undefined && changes.expYear !== undefined) {
        const check = checkExpiryDate(changes.expMonth, changes.expYear, now)
        if (check.error) throw new CardError(check.error, 'The expiry date is not valid.', 'exp_year')
        const expiresAt = cardExpiresAt(changes.expMonth, changes.expYear).toISOString()
        Object.assign(patch, { exp_month: changes.expMonth, exp_year: changes.expYear, expires_at: expiresAt, status: 'active' })
        patch.retain_until = retainUntil({ ...row, expires_at: expiresAt })
      }
      if (changes.name !== undefined) patch.holder_name = changes.name
      if (jti) await this.deps.intake.claim(trx, { jti })
      return patch
    })
  }

  /** Revoked tokens cannot pay again; the card may be tokenized anew (it frees its account). */
  async revoke(principal: Principal, token: string, actor: Actor): Promise<TokenRow> {
    const current = await this.get(principal, token)
    if (current.status === 'revoked') return current
    const now = this.deps.clock.now()
    return this.change(principal, token, 'token.revoked', actor, now, async () => ({ status: 'revoked', account_key: null, updated_at: now.toISOString() }))
  }

  /** Deregisters: the stored card is destroyed; a tombstone without card data remains. */
  async delete(principal: Principal, token: string, actor: Actor): Promise<void> {
    const now = this.deps.clock.now()
    await this.change(principal, token, 'token.deleted', actor, now, async () => tombstone(now.toISOString()))
  }

  /** Keeps a token `months` past the retention policy (not cumulative; at most 24). */
  async extend(principal: Principal, token: string, months: number, actor: Actor): Promise<TokenRow> {
    if (!Number.isInteger(months) || months < 1 || months > RETENTION.maxExtensionMonths) {
      throw new InvalidRequestError('invalid_extension', `months must be an integer from 1 to ${RETENTION.maxExtensionMonths}.`, 'months')
    }
    const now = this.deps.clock.now()
    const patch = async (_trx: Kysely<Database>, row: TokenRow): Promise<TokenUpdate> => ({
      retention_extension_months: months,
      retain_until: retainUntil({ ...row, retention_extension_months: months }),
      last_updated_by: 'merchant',
      updated_at: now.toISOString(),
    })
    return this.change(principal, token, 'token.updated', actor, now, patch, 'token.extended')
  }

  private key(principal: Principal, token: string): TokenKey {
    return { projectId: principal.project.id, mode: principal.mode, token }
  }

  /** Applies a patch in one transaction with its change record; the row is re-read inside it. */
  private async change(principal: Principal, token: string, type: TokenChangeType, actor: Actor, now: Date, makePatch: (trx: Kysely<Database>, row: TokenRow) => Promise<TokenUpdate>, auditAction?: AuditAction): Promise<TokenRow> {
    return this.deps.db.transaction().execute(async (trx) => {
      const key = this.key(principal, token)
      const row = await findToken(trx, key)
      if (!row || row.status === 'deleted') throw tokenNotFound()
      const updated = await updateToken(trx, key, await makePatch(trx, row))
      await this.deps.recorder.record(trx, { type, row: updated, actor, at: now, auditAction })
      return updated
    })
  }
}
