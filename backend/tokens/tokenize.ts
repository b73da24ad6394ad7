// Tokenization: open the card JWE, verify the card, and store it under a token, or return
// the existing token where the project's settings say a card has one already.
//
// A publishable key (the browser) only creates: it never names a customer or a token value
// (those come from the customer session the merchant's server made), and a repeat of a stored
// card never changes the stored token unless the session is of the customer who owns it.
import type { Kysely } from 'kysely'
import { cardExpiresAt, type Clock } from '../clock.js'
import type { CardCipher } from '../crypto/card-cipher.js'
import { fingerprint } from '../crypto/fingerprint.js'
import { ApiError, ConflictError, InvalidRequestError, PermissionError } from '../errors.js'
import type { Principal, VerificationName } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import type { Database, TokenRow } from '../store/schema.js'
import type { WriteGroups } from '../store/write-groups.js'
import { findByAccount, findToken, insertToken, reviveToken, updateToken } from '../store/tokens.js'
import type { VerificationResult, VerificationStrategies } from '../verification/index.js'
import type { CardIntake } from './card-intake.js'
import type { CardPayload } from './card-payload.js'
import type { Actor, ChangeRecorder } from './changes.js'
import type { BoundSession } from './customer-sessions.js'
import { tokenFormats } from './formats/index.js'
import { retainUntil } from './retention.js'

export interface TokenizeInput {
  card: string
  /** Secret key only: a publishable key's customer and token value come from its session. */
  customerId?: string | undefined
  verification?: VerificationName | undefined
  token?: string | undefined
  /** The customer session a publishable-key request carries (ignored for other keys). */
  session?: BoundSession | undefined
}

export interface TokenizeResult {
  created: boolean
  row: TokenRow
}

/** The card as this request sent it: what a publishable-key answer may show. */
export interface SentCard {
  brand: string
  bin: string
  last4: string
  exp_month: number
  exp_year: number
}

export interface Tokenized extends TokenizeResult {
  sent: SentCard
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
  /**
   * Whether a repeat of a stored card may update that token's expiry and name; default yes (a
   * secret key). A publishable key may only with a session of the token's own customer.
   */
  mayUpdate?: ((existing: TokenRow) => boolean) | undefined
}

export interface TokenizerDeps {
  db: Kysely<Database>
  /** The storing transaction: grouped with other requests' on SQLite (store/write-groups.ts). */
  writes: WriteGroups
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

/** What a publishable-key request may not choose itself: it is the merchant server's to say. */
function refuseBrowserChoices(input: TokenizeInput): void {
  if (input.verification !== undefined) {
    throw new PermissionError('verification_override_forbidden', 'Only a secret key may choose the verification strategy.', 'verification')
  }
  if (input.customerId !== undefined) {
    throw new InvalidRequestError(
      'customer_session_required',
      "A publishable key cannot name the customer: create a customer session on your server (POST /v1/customer-sessions) and set the card field's customer-session attribute.",
      'customer_id',
    )
  }
  if (input.token !== undefined) {
    throw new PermissionError('secret_key_required', 'Only a secret key may choose the token value: bind it into a customer session on your server instead.', 'token')
  }
}

/** A publishable key's request: who it tokenizes for, and which stored tokens it may update. */
function browserOptions(session: BoundSession | undefined): Pick<SaveOptions, 'customerId' | 'token' | 'mayUpdate'> {
  const owner = session?.customerId
  return { customerId: owner, token: session?.token, mayUpdate: (existing) => owner !== undefined && existing.customer_id === owner }
}

export class Tokenizer {
  constructor(private readonly deps: TokenizerDeps) {}

  async tokenize(principal: Principal, input: TokenizeInput, actor: Actor): Promise<Tokenized> {
    const { project, mode } = principal
    const browser = principal.kind === 'publishable'
    if (browser) refuseBrowserChoices(input)
    const options: SaveOptions = browser ? browserOptions(input.session) : { customerId: input.customerId, token: input.token }
    if (browser && options.token === undefined && tokenFormats[project.tokenFormat].supplied) {
      throw new InvalidRequestError('token_required', 'This project uses merchant-supplied tokens: bind the token value into a customer session on your server ({"token": ...}) and set it on the card field.', 'token', 422)
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
    if (!strategy.remote) return this.save(principal, payload, await verify(), { ...options, jti: payload.jti }, actor)
    // A strategy that asks someone else (the acquirer) must not be asked twice for one JWE: the
    // jti is claimed first, and withdrawn if nothing gets stored, so the JWE may be retried.
    await this.deps.intake.claim(this.deps.db, payload)
    let result: Tokenized | undefined
    try {
      return (result = await this.save(principal, payload, await verify(), options, actor))
    } finally {
      if (!result) await this.deps.intake.release(this.deps.db, payload).catch(() => undefined)
    }
  }

  /** Verifies a card with a strategy, as a tokenization does (a card replacing another behind a token). */
  async verify(principal: Principal, payload: CardPayload, strategyName: VerificationName, actor: Actor): Promise<VerificationResult> {
    const strategy = this.deps.strategies[strategyName]
    if (!strategy) throw new ApiError(503, 'verification_unavailable', `The '${strategyName}' verification strategy is not available on this vault.`)
    return strategy.verify(
      { number: payload.number, expMonth: payload.expMonth, expYear: payload.expYear, cvc: payload.cvc, name: payload.name },
      { mode: principal.mode, projectId: principal.project.id, now: this.deps.clock.now(), requestId: actor.kind === 'key' ? actor.requestId : undefined },
    )
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
  async save(principal: Principal, card: CardToStore, verification: VerificationResult, options: SaveOptions, actor: Actor): Promise<Tokenized> {
    const { project, mode } = principal
    const now = this.deps.clock.now()
    const keys = await this.deps.projects.keys(project.id)
    const fp = fingerprint(keys.fingerprintKey, card.number)
    const format = tokenFormats[project.tokenFormat]
    const uniqueAccount = project.tokenManagement === 'unique-account'
    const sent: SentCard = { brand: card.number.brand.brand, bin: card.number.bin, last4: card.number.last4, exp_month: card.expMonth, exp_year: card.expYear }

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const value = format.generate({ number: card.number, expMonth: card.expMonth, expYear: card.expYear, tokenKey: keys.tokenKey, requested: options.token })
      const sealed = await this.deps.cipher.seal(card.number, { projectId: project.id, mode, token: value })
      const base: TokenRow = {
        project_id: project.id,
        mode,
        token: value,
        status: cardExpiresAt(card.expMonth, card.expYear) <= now ? 'expired' : 'active',
        customer_id: options.customerId ?? null,
        brand: sent.brand,
        bin: sent.bin,
        last4: sent.last4,
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
        last_updated_by: null,
        network_transaction_id: null,
      }
      base.retain_until = retainUntil(base)
      try {
        const result = await this.deps.writes.run((trx) => this.store(trx, base, principal, actor, now, options))
        return { ...result, sent }
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
    const result = await this.place(trx, row, principal, actor, now, options.mayUpdate ?? (() => true))
    await options.alongside?.(trx, result)
    return result
  }

  private async place(trx: Kysely<Database>, row: TokenRow, principal: Principal, actor: Actor, now: Date, mayUpdate: (existing: TokenRow) => boolean): Promise<TokenizeResult> {
    const key = { projectId: row.project_id, mode: row.mode, token: row.token }
    const sameAccount = row.account_key ? await findByAccount(trx, row.project_id, row.mode, row.account_key) : undefined
    const sameValue = sameAccount ?? (tokenFormats[principal.project.tokenFormat].deterministic ? await findToken(trx, key) : undefined)
    if (sameValue && sameValue.status !== 'deleted') return this.duplicate(trx, sameValue, row, principal, actor, now, mayUpdate(sameValue))
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

  /**
   * The card already has a token: return it (updating its expiry and name, as seed 001 describes,
   * when the caller may) or refuse.
   */
  private async duplicate(trx: Kysely<Database>, existing: TokenRow, incoming: TokenRow, principal: Principal, actor: Actor, now: Date, mayUpdate: boolean): Promise<TokenizeResult> {
    refuseDuplicate(existing, principal)
    if (!mayUpdate) return { created: false, row: existing }
    const expiryChanged = existing.exp_month !== incoming.exp_month || existing.exp_year !== incoming.exp_year
    const nameChanged = incoming.holder_name !== null && incoming.holder_name !== existing.holder_name
    if (!expiryChanged && !nameChanged) return { created: false, row: existing }
    const patch = {
      exp_month: incoming.exp_month,
      exp_year: incoming.exp_year,
      expires_at: incoming.expires_at,
      holder_name: incoming.holder_name ?? existing.holder_name,
      status: incoming.status,
      // A browser's repeat (publishable key, the token's own customer's session) is the customer's change.
      last_updated_by: principal.kind === 'publishable' ? ('customer' as const) : ('merchant' as const),
      updated_at: now.toISOString(),
      retain_until: retainUntil({ ...existing, expires_at: incoming.expires_at }),
    }
    const updated = await updateToken(trx, { projectId: existing.project_id, mode: existing.mode, token: existing.token }, patch)
    await this.deps.recorder.record(trx, { type: 'token.updated', row: updated, actor, at: now })
    return { created: false, row: updated }
  }
}
