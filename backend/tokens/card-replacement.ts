// PATCH /v1/tokens/:token with {card} of another number (seed 004: Tokenize on an existing
// token stores new payment details under it). The token keeps its value; brand, bin, last four,
// fingerprint and expiry follow the new card. Whether a format allows it:
//   random, luhn, merchant: yes (the value says nothing of the card);
//   deterministic: never (its value comes from the number): 422 card_mismatch;
//   preserve-6.4: only with the same first six and last four (the value shows them).
import type { Kysely } from 'kysely'
import { cardExpiresAt, type Clock } from '../clock.js'
import type { CardCipher } from '../crypto/card-cipher.js'
import { fingerprint } from '../crypto/fingerprint.js'
import type { CardNumber } from '../crypto/secret.js'
import { CardError, ConflictError, tokenNotFound } from '../errors.js'
import { brandOf } from '../../common/card-rules.js'
import type { Principal } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import type { Database, TokenRow, TokenUpdater } from '../store/schema.js'
import { isUniqueViolation } from '../store/outcome.js'
import { findByAccount, findToken, updateToken } from '../store/tokens.js'
import { basicChecks } from '../verification/basic.js'
import type { CardPayload } from './card-payload.js'
import type { Actor, ChangeRecorder } from './changes.js'
import { tokenFormats } from './formats/index.js'
import { retainUntil } from './retention.js'
import type { CardIntake } from './card-intake.js'
import type { Tokenizer } from './tokenize.js'

export interface CardReplacementDeps {
  db: Kysely<Database>
  clock: Clock
  projects: ProjectService
  cipher: CardCipher
  tokenizer: Pick<Tokenizer, 'verify'>
  /** Claims the JWE's jti in the replacing transaction (the card was opened, mode-checked, by the same intake). */
  intake: Pick<CardIntake, 'claim'>
  recorder: ChangeRecorder
}

const mismatch = (message: string) => new CardError('card_mismatch', message, 'card')

/** Why this token's format refuses `number` behind it, or nothing when it allows it. */
export function refuseByFormat(principal: Principal, token: string, number: CardNumber): void {
  const format = principal.project.tokenFormat
  if (tokenFormats[format].deterministic) throw mismatch('A deterministic token is computed from its card number: it cannot take another card. Tokenize the new card instead.')
  if (format === 'preserve-6.4') {
    const digits = number.reveal()
    if (digits.slice(0, 6) !== token.slice(0, 6) || digits.slice(-4) !== token.slice(-4)) {
      throw mismatch('A preserve-6.4 token keeps its first six and last four digits: the new card must have the same ones.')
    }
  }
}

export class CardReplacement {
  constructor(private readonly deps: CardReplacementDeps) {}

  /** Stores `payload`'s card behind `token` in one transaction with its token.updated record. */
  async replace(principal: Principal, token: string, payload: CardPayload, actor: Actor, by: TokenUpdater): Promise<TokenRow> {
    const { project, mode } = principal
    refuseByFormat(principal, token, payload.number)
    const now = this.deps.clock.now()
    basicChecks(payload, now)
    const verification = await this.deps.tokenizer.verify(principal, payload, project.verification, actor)
    const keys = await this.deps.projects.keys(project.id)
    const fp = fingerprint(keys.fingerprintKey, payload.number)
    const uniqueAccount = project.tokenManagement === 'unique-account'
    const duplicate = () => new ConflictError('duplicate_account', 'This card already has another token in this project.', 'card')
    if (uniqueAccount) {
      const other = await findByAccount(this.deps.db, project.id, mode, fp)
      if (other && other.token !== token) throw duplicate()
    }
    const sealed = await this.deps.cipher.seal(payload.number, { projectId: project.id, mode, token })
    const expiresAt = cardExpiresAt(payload.expMonth, payload.expYear).toISOString()
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const key = { projectId: project.id, mode, token }
        const row = await findToken(trx, key)
        if (!row || row.status === 'deleted') throw tokenNotFound()
        if (row.status === 'revoked' || row.status === 'invalid') throw new ConflictError('token_not_updatable', `A ${row.status} token cannot be updated.`, 'token')
        await this.deps.intake.claim(trx, payload)
        const updated = await updateToken(trx, key, {
          status: 'active',
          brand: brandOf(payload.number.reveal()).brand,
          bin: payload.number.bin,
          last4: payload.number.last4,
          exp_month: payload.expMonth,
          exp_year: payload.expYear,
          expires_at: expiresAt,
          holder_name: payload.name ?? row.holder_name,
          fingerprint: fp,
          account_key: uniqueAccount ? fp : null,
          data_key_id: sealed.dataKeyId,
          card_ciphertext: sealed.ciphertext,
          verification_strategy: verification.strategy,
          verification_result: verification.result,
          retain_until: retainUntil({ ...row, expires_at: expiresAt }),
          // The stored-credential link belongs to the old card: the next customer-initiated payment makes a new one.
          network_transaction_id: null,
          last_updated_by: by,
          updated_at: now.toISOString(),
        })
        await this.deps.recorder.record(trx, { type: 'token.updated', row: updated, actor, at: now })
        return updated
      })
    } catch (error) {
      // Another token took this account at the same moment (the unique index on account_key).
      if (uniqueAccount && isUniqueViolation(error)) throw duplicate()
      throw error
    }
  }
}
