// POST /v1/tokens/:token/refresh: asks the acquirer's account updater about one token's card
// now (seed 004: "puteți solicita manual informațiile de actualizare a contului") and applies
// what it says as the account-updater job would (new expiry, new number, closed card).
import type { Kysely } from 'kysely'
import type { AcquirerClient } from '../acquirer/client.js'
import { ConflictError, tokenNotFound } from '../errors.js'
import type { AccountUpdaterJob } from '../jobs/account-updater.js'
import type { Principal } from '../projects/project.js'
import type { Database, TokenRow } from '../store/schema.js'
import { findToken } from '../store/tokens.js'
import type { Actor } from '../tokens/changes.js'
import { tokenKeyOf, type TokenCards } from './token-cards.js'

export interface TokenRefresherDeps {
  db: Kysely<Database>
  acquirer: AcquirerClient
  tokenCards: TokenCards
  updater: Pick<AccountUpdaterJob, 'applyToToken'>
}


export class TokenRefresher {
  constructor(private readonly deps: TokenRefresherDeps) {}

  /** The token as it is after the acquirer's answer (unchanged when the issuer reports nothing). */
  async refresh(principal: Principal, token: string, actor: Actor): Promise<TokenRow> {
    const key = { projectId: principal.project.id, mode: principal.mode, token }
    const row = await findToken(this.deps.db, key)
    if (!row || row.status === 'deleted') throw tokenNotFound()
    if (principal.project.accountUpdater !== 'on') {
      throw new ConflictError('account_updater_off', 'The account updater is off for this project: set account_updater to on to refresh tokens.', 'token')
    }
    if (row.status !== 'active') throw new ConflictError('token_unusable', `This token is ${row.status}; only an active token can be refreshed.`, 'token')
    const update = await this.deps.acquirer.accountInquiry(await this.deps.tokenCards.card(row))
    if (update) await this.deps.updater.applyToToken(tokenKeyOf(row), row.fingerprint, update, actor)
    const after = await findToken(this.deps.db, key)
    if (!after || after.status === 'deleted') throw tokenNotFound()
    return after
  }
}
