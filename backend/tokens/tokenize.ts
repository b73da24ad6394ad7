// Tokenization: open the card JWE, verify the card, and store it under a token, or return
// the existing token where the project's settings say a card has one already.
import type { Kysely } from 'kysely'
import { cardExpiresAt, type Clock } from '../clock.js'
import type { CardCipher } from '../crypto/card-cipher.js'
import { fingerprint } from '../crypto/fingerprint.js'
import { ApiError, ConflictError, InvalidRequestError, PermissionError } from '../errors.js'
import { brandOf } from '../../common/card-rules.js'
import type { Principal, VerificationName } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import type { Database, TokenRow } from '../store/schema.js'
import { findByAccount, findToken, insertToken, reviveToken, updateToken } from '../store/tokens.js'
import type { VerificationResult, VerificationStrategies } from '../verification/index.js'
import type { CardIntake } from './card-intake.js'
import type { CardPayload } from './card-payload.js'
import type { Actor, ChangeRecorder } from './changes.js'
import { tokenFormats } from './formats/index.js'
import { retainUntil } from './retention.js'

export interface TokenizeInput {
  card: string
  customerId?: string | undefined
  verification?: VerificationName | undefined
  token?: string | undefined
}

export interface TokenizeResult {
  created: boolean
  row: TokenRow
}

/** A card ready to store: opened from a JWE and verified. The CVC is not part of it. */
export type CardToStore = Pick<CardPayload, 'number' | 'expMonth' | 'expYear' | 'name'>

export interface SaveOptions {
  customerId?: string | undefined
  /** The merchant's requested token value (merchant format). */
  token?: string | undefined
  /** The JWE's jti, claimed in the storing transaction; omit when the caller claimed it already. */
  jti?: string | undefined
  /** More writes in the storing transaction, after the token is stored (a payment saving its card). */
  alongside?: ((trx: Kysely<Database>, result: TokenizeResult) => Promise<void>) | undefined
}

export interface TokenizerDeps {
  db: Kysely<Database>
  clock: Clock
  projects: ProjectService
  cipher: CardCipher
  intake: CardIntake
  strategies: VerificationStrategies
  recorder: ChangeRecorder
}

/** Tries before giving up on drawing a token value that is free (collisions are astronomically rare but not impossible for short formats). */
const MAX_ATTEMPTS = 8

/** Thrown inside the storing transaction when the token value or the account was taken meanwhile: roll back, look again. */
const TAKEN = Symbol('taken')

/** Why an existing token of the same card refuses a new tokenization, if it does. */
function refuseDuplicate(existing: TokenRow, principal: Principal): void {
  if (existing.status === 'revoked' || existing.status === 'invalid') {
    throw new ConflictError('token_unusable', `This card's token is ${existing.status}; it cannot be issued again.`, 'card')
  }
  if (principal.project.tokenManagement === 'unique-account' && principal.project.onDuplicate === 'error') {
    throw new ConflictError('duplicate_account', 'This card already has a token in this project.', 'card')
  }
}

export class Tokenizer {
  constructor(private readonly deps: TokenizerDeps) {}

  async tokenize(principal: Principal, input: TokenizeInput, actor: Actor): Promise<TokenizeResult> {
    const { project, mode } = principal
    if (input.verification !== undefined && principal.kind !== 'secret') {
      throw new PermissionError('verification_override_forbidden', 'Only a secret key may choose the verification strategy.', 'verification')
    }
    const payload = await this.deps.intake.open(principal, input.card)
    const strategyName = input.verification ?? project.verification
    const strategy = this.deps.strategies[strategyName]
    if (!strategy) throw new ApiError(503, 'verification_unavailable', `The '${strategyName}' verification strategy is not available on this vault.`)
    const verify = () =>
      strategy.verify(
        { number: payload.number, expMonth: payload.expMonth, expYear: payload.expYear, cvc: payload.cvc, name: payload.name },
        { mode, projectId: project.id, now: this.deps.clock.now(), requestId: actor.kind === 'key' ? actor.requestId : undefined },
      )
    const options = { customerId: input.customerId, token: input.token }
    if (!strategy.remote) return this.save(principal, payload, await verify(), { ...options, jti: payload.jti }, actor)
    // A strategy that asks someone else (the acquirer) must not be asked twice for one JWE: the
    // jti is claimed first, and withdrawn if nothing gets stored, so the JWE may be retried.
    await this.deps.intake.claim(this.deps.db, payload)
    let result: TokenizeResult | undefined
    try {
      return (result = await this.save(principal, payload, await verify(), options, actor))
    } finally {
      if (!result) await this.deps.intake.release(this.deps.db, payload).catch(() => undefined)
    }
  }

  /**
   * Refuses now what save() would refuse later: for a payment that saves its card, whose
   * money must not move when the card then cannot be stored.
   */
  async checkSavable(principal: Principal, card: CardToStore): Promise<void> {
    const { project, mode } = principal
    const format = tokenFormats[project.tokenFormat]
    if (format.supplied) {
      throw new InvalidRequestError('token_required', 'This project uses merchant-supplied tokens: tokenize the card with `token` first, then pay with the token.', 'save_card', 422)
    }
    const keys = await this.deps.projects.keys(project.id)
    let existing: TokenRow | undefined
    if (project.tokenManagement === 'unique-account') existing = await findByAccount(this.deps.db, project.id, mode, fingerprint(keys.fingerprintKey, card.number))
    if (!existing && format.deterministic) {
      const value = format.generate({ number: card.number, expMonth: card.expMonth, expYear: card.expYear, tokenKey: keys.tokenKey })
      existing = await findToken(this.deps.db, { projectId: project.id, mode, token: value })
    }
    if (existing && existing.status !== 'deleted') refuseDuplicate(existing, principal)
  }

  /** Stores a verified card under a token, or returns the token the card has already. */
  async save(principal: Principal, card: CardToStore, verification: VerificationResult, options: SaveOptions, actor: Actor): Promise<TokenizeResult> {
    const { project, mode } = principal
    const now = this.deps.clock.now()
    const keys = await this.deps.projects.keys(project.id)
    const fp = fingerprint(keys.fingerprintKey, card.number)
    const format = tokenFormats[project.tokenFormat]
    const uniqueAccount = project.tokenManagement === 'unique-account'

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const value = format.generate({ number: card.number, expMonth: card.expMonth, expYear: card.expYear, tokenKey: keys.tokenKey, requested: options.token })
      const sealed = await this.deps.cipher.seal(card.number, { projectId: project.id, mode, token: value })
      const base: TokenRow = {
        project_id: project.id,
        mode,
        token: value,
        status: cardExpiresAt(card.expMonth, card.expYear) <= now ? 'expired' : 'active',
        customer_id: options.customerId ?? null,
        brand: brandOf(card.number.reveal()).brand,
        bin: card.number.bin,
        last4: card.number.last4,
        exp_month: card.expMonth,
        exp_year: card.expYear,
        holder_name: card.name ?? null,
        fingerprint: fp,
        account_key: uniqueAccount ? fp : null,
        data_key_id: sealed.dataKeyId,
        card_ciphertext: sealed.ciphertext,
        verification_strategy: verification.strategy,
        verification_result: verification.result,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        last_used_at: null,
        expires_at: cardExpiresAt(card.expMonth, card.expYear).toISOString(),
        retention_extension_months: 0,
        retain_until: '',
        deleted_at: null,
      }
      base.retain_until = retainUntil(base)
      try {
        return await this.deps.db.transaction().execute((trx) => this.store(trx, base, principal, actor, now, options))
      } catch (error) {
        if (error !== TAKEN) throw error
        // Another request took this value or this account at the same moment: look again.
        if (format.supplied && (await findToken(this.deps.db, { projectId: project.id, mode, token: value }))) {
          throw new ConflictError('token_taken', 'That token is already in use.', 'token')
        }
      }
    }
    throw new ApiError(500, 'token_generation_failed', 'Could not allocate a free token value; try again.')
  }

  private async store(trx: Kysely<Database>, row: TokenRow, principal: Principal, actor: Actor, now: Date, options: SaveOptions): Promise<TokenizeResult> {
    if (options.jti !== undefined) await this.deps.intake.claim(trx, { jti: options.jti })
    const result = await this.place(trx, row, principal, actor, now)
    await options.alongside?.(trx, result)
    return result
  }

  private async place(trx: Kysely<Database>, row: TokenRow, principal: Principal, actor: Actor, now: Date): Promise<TokenizeResult> {
    const key = { projectId: row.project_id, mode: row.mode, token: row.token }
    const sameAccount = row.account_key ? await findByAccount(trx, row.project_id, row.mode, row.account_key) : undefined
    const sameValue = sameAccount ?? (tokenFormats[principal.project.tokenFormat].deterministic ? await findToken(trx, key) : undefined)
    if (sameValue && sameValue.status !== 'deleted') return this.duplicate(trx, sameValue, row, principal, actor, now)
    if (sameValue) {
      // A deleted deterministic token comes back to life with the card stored anew.
      const revived = await reviveToken(trx, key, { ...row, created_at: sameValue.created_at })
      if (revived === 'conflict') throw TAKEN
      await this.deps.recorder.record(trx, { type: 'token.created', row: revived, actor, at: now })
      return { created: true, row: revived }
    }
    if ((await insertToken(trx, row)) === 'conflict') throw TAKEN
    await this.deps.recorder.record(trx, { type: 'token.created', row, actor, at: now })
    return { created: true, row }
  }

  /** The card already has a token: return it (updating its expiry, as seed 001 describes) or refuse. */
  private async duplicate(trx: Kysely<Database>, existing: TokenRow, incoming: TokenRow, principal: Principal, actor: Actor, now: Date): Promise<TokenizeResult> {
    refuseDuplicate(existing, principal)
    const expiryChanged = existing.exp_month !== incoming.exp_month || existing.exp_year !== incoming.exp_year
    const nameChanged = incoming.holder_name !== null && incoming.holder_name !== existing.holder_name
    if (!expiryChanged && !nameChanged) return { created: false, row: existing }
    const patch = {
      exp_month: incoming.exp_month,
      exp_year: incoming.exp_year,
      expires_at: incoming.expires_at,
      holder_name: incoming.holder_name ?? existing.holder_name,
      status: incoming.status,
      updated_at: now.toISOString(),
      retain_until: retainUntil({ ...existing, expires_at: incoming.expires_at }),
    }
    const updated = await updateToken(trx, { projectId: existing.project_id, mode: existing.mode, token: existing.token }, patch)
    await this.deps.recorder.record(trx, { type: 'token.updated', row: updated, actor, at: now })
    return { created: false, row: updated }
  }
}
