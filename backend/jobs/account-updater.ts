// The account updater: asks the acquirer what issuers changed since the last run and applies
// it to every token of the card, in every project that opted in (account_updater: on). A new expiry updates the token; a new number
// is sealed behind the same token (fingerprint, brand, BIN and last four follow); a closed
// account makes the token `invalid`. Each change is one transaction with its event.
import type { Kysely } from 'kysely'
import type { AccountUpdate, AcquirerClient } from '../acquirer/client.js'
import { cardExpiresAt, type Clock } from '../clock.js'
import type { CardCipher, SealedCard } from '../crypto/card-cipher.js'
import { fingerprint } from '../crypto/fingerprint.js'
import type { CardNumber } from '../crypto/secret.js'
import type { Project } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import type { Database, TokenRow, TokenUpdate } from '../store/schema.js'
import { findByAccount, findToken, updateToken, type TokenKey } from '../store/tokens.js'
import type { Actor, ChangeRecorder, TokenChangeType } from '../tokens/changes.js'
import { retainUntil } from '../tokens/retention.js'
import type { Job, JobReport } from './scheduler.js'

export const ACCOUNT_UPDATER_DEFAULTS = {
  /** Issuers report in daily batches; hourly is soon enough and cheap. */
  intervalMs: 60 * 60 * 1000,
  /** The job_state row that holds the next `since`. */
  cursorName: 'account-updater.since',
} as const

export const ACCOUNT_UPDATER_ACTOR = { kind: 'system', job: 'account-updater' } as const

export interface AccountUpdaterDeps {
  db: Kysely<Database>
  clock: Clock
  acquirer: AcquirerClient
  projects: Pick<ProjectService, 'list' | 'keys'>
  cipher: CardCipher
  recorder: ChangeRecorder
}

/** Statuses an update applies to: a revoked token stays as the merchant left it, a deleted one has no card. */
const UPDATABLE = ['active', 'expired'] as const

export class AccountUpdaterJob implements Job {
  readonly name = 'account-updater'
  constructor(private readonly deps: AccountUpdaterDeps) {}

  async run(): Promise<JobReport> {
    const since = await this.cursor()
    const batch = await this.deps.acquirer.accountUpdates(since)
    // Seed 004: the account updater is opted into per merchant (the project's account_updater setting).
    const projects = (await this.deps.projects.list()).filter((project) => project.accountUpdater === 'on')
    const report = { updates: batch.updates.length, new_expiry: 0, new_number: 0, closed: 0 }
    for (const update of batch.updates) report[update.kind] += await this.apply(update, projects)
    // Moved only once every update is applied: a failed run is simply repeated, and applying
    // an update twice changes nothing (each change checks the token still has the old card).
    await this.saveCursor(batch.asOf)
    return report
  }

  /**
   * The acquirer names the card by its number; a fingerprint is an HMAC under each project's
   * own key, so the number is fingerprinted once per project and tokens are found by the
   * fingerprint index. Returns how many tokens changed.
   */
  private async apply(update: AccountUpdate, projects: Project[]): Promise<number> {
    let changed = 0
    for (const project of projects) {
      const keys = await this.deps.projects.keys(project.id)
      const oldFingerprint = fingerprint(keys.fingerprintKey, update.number)
      const tokens = await this.deps.db
        .selectFrom('tokens')
        .select(['project_id', 'mode', 'token'])
        .where('project_id', '=', project.id)
        .where('fingerprint', '=', oldFingerprint)
        .where('status', 'in', UPDATABLE)
        .execute()
      for (const t of tokens) {
        if (await this.applyToToken({ projectId: t.project_id, mode: t.mode, token: t.token }, oldFingerprint, update, ACCOUNT_UPDATER_ACTOR)) changed++
      }
    }
    return changed
  }

  /**
   * Applies one update to one token whose card has `oldFingerprint` (also for an on-demand
   * refresh, POST /v1/tokens/:token/refresh, where `actor` is the key that asked). True when
   * the token changed.
   */
  async applyToToken(key: TokenKey, oldFingerprint: string, update: AccountUpdate, actor: Actor): Promise<boolean> {
    const keys = await this.deps.projects.keys(key.projectId)
    // Sealed before the transaction: the cipher may create a data key on its own connection.
    const replacement = update.kind === 'new_number' ? { number: update.newNumber, fingerprint: fingerprint(keys.fingerprintKey, update.newNumber), sealed: await this.deps.cipher.seal(update.newNumber, key) } : undefined
    return this.change(key, oldFingerprint, update, actor, replacement)
  }

  private change(key: TokenKey, oldFingerprint: string, update: AccountUpdate, actor: Actor, replacement?: Replacement): Promise<boolean> {
    const at = this.deps.clock.now()
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await findToken(trx, key)
      if (!row || !(UPDATABLE as readonly string[]).includes(row.status) || row.fingerprint !== oldFingerprint) return false
      const change = await this.patch(trx, row, update, at, replacement)
      if (!change) return false
      const updated = await updateToken(trx, key, { ...change.patch, last_updated_by: 'account_updater', updated_at: at.toISOString() })
      await this.deps.recorder.record(trx, { type: change.type, row: updated, actor, at })
      return true
    })
  }

  private async patch(trx: Kysely<Database>, row: TokenRow, update: AccountUpdate, at: Date, replacement?: Replacement): Promise<{ patch: TokenUpdate; type: TokenChangeType } | undefined> {
    if (update.kind === 'closed') return { patch: { status: 'invalid' }, type: 'token.invalidated' }
    if (update.kind === 'new_expiry') {
      if (row.exp_month === update.expMonth && row.exp_year === update.expYear) return undefined
      return { patch: expiryPatch(row, update.expMonth, update.expYear, at), type: 'token.updated' }
    }
    if (!replacement) return undefined
    // Under unique-account the token takes the new number's account, unless another token of
    // this project holds it already (then that one stays the account's token).
    const accountKey = row.account_key === null || (await findByAccount(trx, row.project_id, row.mode, replacement.fingerprint)) ? null : replacement.fingerprint
    const patch: TokenUpdate = {
      ...expiryPatch(row, update.expMonth, update.expYear, at),
      brand: replacement.number.brand.brand,
      bin: replacement.number.bin,
      last4: replacement.number.last4,
      fingerprint: replacement.fingerprint,
      account_key: accountKey,
      data_key_id: replacement.sealed.dataKeyId,
      card_ciphertext: replacement.sealed.ciphertext,
    }
    return { patch, type: 'token.updated' }
  }

  private async cursor(): Promise<Date> {
    const row = await this.deps.db.selectFrom('job_state').select('value').where('name', '=', ACCOUNT_UPDATER_DEFAULTS.cursorName).executeTakeFirst()
    return new Date(row?.value ?? 0)
  }

  private async saveCursor(asOf: Date): Promise<void> {
    const values = { name: ACCOUNT_UPDATER_DEFAULTS.cursorName, value: asOf.toISOString(), updated_at: this.deps.clock.now().toISOString() }
    await this.deps.db
      .insertInto('job_state')
      .values(values)
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: values.value, updated_at: values.updated_at }))
      .execute()
  }
}

interface Replacement {
  number: CardNumber
  fingerprint: string
  sealed: SealedCard
}

/** A new expiry, and what follows from it: the expiry instant, the status and the retention date. */
function expiryPatch(row: TokenRow, expMonth: number, expYear: number, at: Date): TokenUpdate {
  const expiresAt = cardExpiresAt(expMonth, expYear)
  return {
    exp_month: expMonth,
    exp_year: expYear,
    expires_at: expiresAt.toISOString(),
    status: expiresAt > at ? 'active' : 'expired',
    retain_until: retainUntil({ ...row, expires_at: expiresAt.toISOString() }),
  }
}
