// The cards behind tokens, for the acquirer calls that use them: only active tokens, opened
// from their ciphertext for the call alone, and marked as used (last_used_at, which moves the
// retention date on) in the transaction that records the use.
import type { Kysely } from 'kysely'
import type { StoredCardDetails } from '../acquirer/client.js'
import type { Clock } from '../clock.js'
import type { CardCipher } from '../crypto/card-cipher.js'
import { tokenNotFound } from '../errors.js'
import type { Principal } from '../projects/project.js'
import type { Database, TokenRow, TokenUpdate } from '../store/schema.js'
import { findToken, updateToken, type TokenKey } from '../store/tokens.js'
import { retainUntil } from '../tokens/retention.js'
import { tokenNotActive } from './errors.js'

export interface TokenCardsDeps {
  db: Kysely<Database>
  clock: Clock
  cipher: CardCipher
}

export const tokenKeyOf = (row: TokenRow): TokenKey => ({ projectId: row.project_id, mode: row.mode, token: row.token })

export class TokenCards {
  constructor(private readonly deps: TokenCardsDeps) {}

  /** The token if it may be used now: active, and its card's expiry month not ended (whether or not the expiry job has run). */
  async usable(principal: Principal, token: string): Promise<TokenRow> {
    const row = await findToken(this.deps.db, { projectId: principal.project.id, mode: principal.mode, token })
    if (!row || row.status === 'deleted') throw tokenNotFound()
    if (row.status !== 'active') throw tokenNotActive(row.status)
    if (row.expires_at <= this.deps.clock.now().toISOString()) throw tokenNotActive('expired')
    return row
  }

  /** The stored card, for one acquirer call. No CVC: the vault never keeps one. */
  async card(row: TokenRow): Promise<StoredCardDetails> {
    if (row.card_ciphertext === null || row.data_key_id === null) throw tokenNotFound()
    const number = await this.deps.cipher.open({ dataKeyId: row.data_key_id, ciphertext: row.card_ciphertext }, tokenKeyOf(row))
    return { number, expMonth: row.exp_month, expYear: row.exp_year }
  }

  /**
   * Records a use inside the caller's transaction: last_used_at, and retain_until computed
   * again from it (seed 003: kept 14 months after expiry or last use). A use is not a change
   * of the token, so updated_at stays.
   */
  async markUsed(trx: Kysely<Database>, key: TokenKey, at: Date, patch: TokenUpdate = {}): Promise<TokenRow | undefined> {
    const current = await findToken(trx, key)
    if (!current || current.status === 'deleted') return undefined
    const lastUsedAt = at.toISOString()
    return updateToken(trx, key, { ...patch, last_used_at: lastUsedAt, retain_until: retainUntil({ ...current, last_used_at: lastUsedAt }) })
  }
}
