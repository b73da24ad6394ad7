// Projects and their API keys: creation (four keys, shown once), settings changes, key
// authentication (by the key's SHA-256, never the key itself), and the project's HMAC keys.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import type { KeySource } from '../crypto/key-source.js'
import { SecretBytes } from '../crypto/secret.js'
import { ConflictError, NotFoundError } from '../errors.js'
import type { Database, Mode, ProjectRow } from '../store/schema.js'
import { decodeCursor, encodeCursor, toPage, type Page } from '../tokens/pages.js'
import { checkWebhookUrl, systemResolve, type WebhookUrlPolicy } from '../events/webhook-url.js'
import { ApiKeys, makeKeyRow } from './api-keys.js'
import { AUTH_CACHE_DEFAULTS, AuthCache, type AuthCacheOptions } from './auth-cache.js'
import { API_KEY_SHAPE, hashApiKey, newId } from './key-material.js'
import { KeyUsage } from './key-usage.js'
import { presentNewKey, type NewApiKeyObject } from './present.js'
import type { AccountUpdaterSetting, OnDuplicate, Permission, Principal, Project, TokenFormatName, TokenManagement, VerificationName } from './project.js'
import { normalizeSettings, PROJECT_DEFAULTS, type ProjectSettingsInput } from './settings.js'
import { projectKeyContext } from '../crypto/key-contexts.js'

export { PROJECT_DEFAULTS } from './settings.js'
export { hashApiKey } from './key-material.js'

export interface ProjectInput extends ProjectSettingsInput {
  name: string
  allowedOrigins: string[]
}

/** What PATCH /v1/projects/:id may change; the token settings only while the project holds no token. */
export type ProjectPatch = ProjectSettingsInput

export interface KeyPair {
  publishable_key: string
  secret_key: string
}

export interface CreatedProject {
  project: Project
  keys: Record<Mode, KeyPair>
  /** The same four keys as key objects (with their ids), as POST /v1/projects answers them. */
  apiKeys: NewApiKeyObject[]
}

export interface ProjectKeys {
  fingerprintKey: SecretBytes
  tokenKey: SecretBytes
}

/**
 * How long a process trusts a key lookup before reading it again: a settings change, a roll's
 * expiry set from another process or a deleted key reaches every process within this bound.
 * The process that makes the change forgets its own lookups at once.
 */
export const AUTH_CACHE_MS = AUTH_CACHE_DEFAULTS.ttlMs

export interface ProjectServiceOptions {
  authCache?: AuthCacheOptions
  /** The webhook-URL rule's settings (TESSERA_ALLOW_PRIVATE_WEBHOOKS, the resolver). */
  webhookUrls?: WebhookUrlPolicy
}

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    verification: row.verification as VerificationName,
    tokenFormat: row.token_format as TokenFormatName,
    tokenManagement: row.token_management as TokenManagement,
    onDuplicate: row.on_duplicate as OnDuplicate,
    requireCvcForSavedCards: Number(row.require_cvc_for_saved_cards) === 1,
    webhookUrl: row.webhook_url,
    tokenizeOnPurchase: Number(row.tokenize_on_purchase) === 1,
    accountUpdater: row.account_updater === 'on' ? 'on' : 'off',
    createdAt: row.created_at,
  }
}

export { projectKeyContext }

const projectNotFound = () => new NotFoundError('project_not_found', 'No such project.', 'id')

/**
 * New settings normalised and checked, the webhook-URL rule included: what creating or changing
 * a project refuses, usable with no vault open (`tessera project create` checks before it opens
 * one). One URL serves both modes: http:// passes here (test mode); live-mode events go only to
 * https:// (the dispatcher checks at each delivery).
 */
export function checkSettings(input: ProjectSettingsInput, webhookUrls: WebhookUrlPolicy): Promise<ProjectSettingsInput> {
  return normalizeSettings(input, async (url) => void (await checkWebhookUrl(url, { ...webhookUrls, purpose: 'set' })))
}

export class ProjectService {
  /** Bounded: a flood of made-up keys cannot grow it, nor push real keys out. */
  readonly authCache: AuthCache
  readonly #webhookUrls: WebhookUrlPolicy
  readonly #keys = new Map<string, Promise<ProjectKeys>>()
  readonly #usage: KeyUsage
  readonly apiKeys: ApiKeys

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keySource: KeySource,
    private readonly clock: Clock,
    options: ProjectServiceOptions = {},
  ) {
    this.authCache = new AuthCache(options.authCache)
    this.#webhookUrls = options.webhookUrls ?? { allowPrivate: false, resolve: systemResolve }
    this.#usage = new KeyUsage(db, clock, 'api_keys')
    this.apiKeys = new ApiKeys({ db, clock, onChange: (projectId) => this.forgetProject(projectId) })
  }

  async create(input: ProjectInput): Promise<CreatedProject> {
    const settings = await checkSettings(input, this.#webhookUrls)
    const id = newId('proj')
    const now = this.clock.now().toISOString()
    const row = {
      id,
      name: settings.name ?? input.name,
      display_name: settings.displayName ?? null,
      allowed_origins: JSON.stringify(settings.allowedOrigins ?? []),
      verification: settings.verification ?? PROJECT_DEFAULTS.verification,
      token_format: settings.tokenFormat ?? PROJECT_DEFAULTS.tokenFormat,
      token_management: settings.tokenManagement ?? PROJECT_DEFAULTS.tokenManagement,
      on_duplicate: settings.onDuplicate ?? PROJECT_DEFAULTS.onDuplicate,
      require_cvc_for_saved_cards: settings.requireCvcForSavedCards ? 1 : 0,
      webhook_url: settings.webhookUrl ?? null,
      tokenize_on_purchase: (settings.tokenizeOnPurchase ?? PROJECT_DEFAULTS.tokenizeOnPurchase) ? 1 : 0,
      account_updater: settings.accountUpdater ?? PROJECT_DEFAULTS.accountUpdater,
      fingerprint_key: await this.keySource.wrap(crypto.randomBytes(32), projectKeyContext(id, 'fingerprint')),
      token_key: await this.keySource.wrap(crypto.randomBytes(32), projectKeyContext(id, 'token')),
      master_key_id: this.keySource.currentKeyId,
      created_at: now,
    }
    const made = (['test', 'live'] as const).flatMap((mode) => (['publishable', 'secret'] as const).map((kind) => makeKeyRow({ projectId: id, kind, mode, createdAt: now })))
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('projects').values(row).execute()
      await trx.insertInto('api_keys').values(made.map((m) => m.row)).execute()
    })
    const secretOf = (mode: Mode, kind: 'publishable' | 'secret') => made.find((m) => m.row.mode === mode && m.row.kind === kind)?.secret as string
    const keys = {
      test: { publishable_key: secretOf('test', 'publishable'), secret_key: secretOf('test', 'secret') },
      live: { publishable_key: secretOf('live', 'publishable'), secret_key: secretOf('live', 'secret') },
    }
    return { project: toProject(row), keys, apiKeys: made.map((m) => presentNewKey(m.row, m.secret)) }
  }

  async byId(id: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toProject(row)
  }

  /** The project, or 404 `project_not_found`. */
  async get(id: string): Promise<Project> {
    const project = await this.byId(id)
    if (!project) throw projectNotFound()
    return project
  }

  async list(): Promise<Project[]> {
    return (await this.db.selectFrom('projects').selectAll().orderBy('created_at').execute()).map(toProject)
  }

  /** Newest first, in cursor pages signed with `cursorKey` (the caller's admin key hash). */
  async page(input: { limit: number; cursor?: string | undefined; cursorKey: string }): Promise<Page<Project>> {
    const key = new SecretBytes(Buffer.from(input.cursorKey, 'hex'))
    const after = decodeCursor(key, 'projects', input.cursor)
    let query = this.db.selectFrom('projects').selectAll()
    if (after) query = query.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.token)])]))
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute()
    return toPage(rows.map((r) => ({ ...r, token: r.id })), input.limit, toProject, (p) => encodeCursor(key, 'projects', p))
  }

  /**
   * Changes settings. `token_format` and `token_management` decide how stored tokens were made
   * and deduplicated, so they change only while the project holds no token (else 409).
   */
  async update(id: string, patch: ProjectPatch): Promise<Project> {
    const settings = await checkSettings(patch, this.#webhookUrls)
    const updated = await this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()
      if (!current) throw projectNotFound()
      const changesTokens = (settings.tokenFormat !== undefined && settings.tokenFormat !== current.token_format) || (settings.tokenManagement !== undefined && settings.tokenManagement !== current.token_management)
      if (changesTokens) {
        const held = await trx.selectFrom('tokens').select('token').where('project_id', '=', id).where('status', '!=', 'deleted').limit(1).executeTakeFirst()
        if (held) throw new ConflictError('project_has_tokens', 'token_format and token_management can change only while the project holds no token.', settings.tokenFormat !== undefined ? 'token_format' : 'token_management')
      }
      const values = {
        ...(settings.name !== undefined && { name: settings.name }),
        ...(settings.displayName !== undefined && { display_name: settings.displayName }),
        ...(settings.allowedOrigins !== undefined && { allowed_origins: JSON.stringify(settings.allowedOrigins) }),
        ...(settings.verification !== undefined && { verification: settings.verification }),
        ...(settings.tokenFormat !== undefined && { token_format: settings.tokenFormat }),
        ...(settings.tokenManagement !== undefined && { token_management: settings.tokenManagement }),
        ...(settings.onDuplicate !== undefined && { on_duplicate: settings.onDuplicate }),
        ...(settings.requireCvcForSavedCards !== undefined && { require_cvc_for_saved_cards: settings.requireCvcForSavedCards ? 1 : 0 }),
        ...(settings.webhookUrl !== undefined && { webhook_url: settings.webhookUrl }),
        ...(settings.tokenizeOnPurchase !== undefined && { tokenize_on_purchase: settings.tokenizeOnPurchase ? 1 : 0 }),
        ...(settings.accountUpdater !== undefined && { account_updater: settings.accountUpdater }),
      }
      if (Object.keys(values).length > 0) await trx.updateTable('projects').set(values).where('id', '=', id).execute()
      return toProject({ ...current, ...values })
    })
    this.forgetProject(id)
    return updated
  }

  /** The principal a raw API key opens, or null for a malformed, unknown, deleted or expired key. */
  async authenticate(rawKey: string): Promise<Principal | null> {
    if (!API_KEY_SHAPE.test(rawKey)) return null
    const hash = hashApiKey(rawKey)
    const at = this.clock.now()
    const now = at.getTime()
    // From the cache in one step; a miss waits for the one lookup of this key under way.
    const answer = this.authCache.answer(hash, now, this.lookUp)
    const principal = answer instanceof Promise ? await answer : answer
    // A rolled key's end is checked on every use: the cache never stretches it.
    if (!principal || (principal.expiresAt !== undefined && now >= principal.expiresAt)) return null
    this.#usage.touch(principal.keyId, at)
    return principal
  }

  private readonly lookUp = async (hash: string): Promise<Principal | null> => {
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('projects', 'projects.id', 'api_keys.project_id')
      .selectAll('projects')
      .select(['api_keys.id as key_id', 'api_keys.kind', 'api_keys.mode', 'api_keys.revoked_at', 'api_keys.expires_at', 'api_keys.permissions'])
      .where('api_keys.key_hash', '=', hash)
      .executeTakeFirst()
    if (!row || row.revoked_at !== null) return null
    const principal: Principal = { keyId: row.key_id, kind: row.kind === 'publishable' ? 'publishable' : 'secret', mode: row.mode, project: toProject(row) }
    if (row.kind === 'restricted') principal.permissions = Object.freeze(JSON.parse(row.permissions ?? '[]') as Permission[])
    if (row.expires_at !== null) principal.expiresAt = Date.parse(row.expires_at)
    return principal
  }

  /** Drops this process's cached lookups of a project's keys after its settings or keys changed. */
  forgetProject(projectId: string): void {
    this.authCache.forgetProject(projectId)
  }

  /** Waits for background last_used_at writes (before the store closes). */
  flush(): Promise<void> {
    return this.#usage.flush()
  }

  /** The project's HMAC keys (fingerprints, deterministic tokens, cursors), unwrapped once per process. */
  keys(projectId: string): Promise<ProjectKeys> {
    let keys = this.#keys.get(projectId)
    if (!keys) {
      keys = this.loadKeys(projectId)
      keys.catch(() => this.#keys.delete(projectId))
      this.#keys.set(projectId, keys)
    }
    return keys
  }

  private async loadKeys(projectId: string): Promise<ProjectKeys> {
    const row = await this.db.selectFrom('projects').select(['fingerprint_key', 'token_key']).where('id', '=', projectId).executeTakeFirstOrThrow()
    return {
      fingerprintKey: new SecretBytes(await this.keySource.unwrap(row.fingerprint_key, projectKeyContext(projectId, 'fingerprint'))),
      tokenKey: new SecretBytes(await this.keySource.unwrap(row.token_key, projectKeyContext(projectId, 'token'))),
    }
  }
}
