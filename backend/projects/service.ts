// Projects and their API keys: creation (four keys, shown once), key authentication (by the
// key's SHA-256, never the key itself), and the project's own HMAC keys.
import crypto from 'node:crypto'
import type { Insertable, Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import type { KeySource } from '../crypto/key-source.js'
import { SecretBytes } from '../crypto/secret.js'
import type { ApiKeyTable, Database, Mode, ProjectRow } from '../store/schema.js'
import { checkWebhookUrl, systemResolve, type WebhookUrlPolicy } from '../events/webhook-url.js'
import { AUTH_CACHE_DEFAULTS, AuthCache, type AuthCacheOptions } from './auth-cache.js'
import type { OnDuplicate, Principal, Project, TokenFormatName, TokenManagement, VerificationName } from './project.js'
import { projectKeyContext } from '../crypto/key-contexts.js'

export interface ProjectInput {
  name: string
  allowedOrigins: string[]
  verification?: VerificationName
  tokenFormat?: TokenFormatName
  tokenManagement?: TokenManagement
  onDuplicate?: OnDuplicate
  webhookUrl?: string | null
}

export const PROJECT_DEFAULTS = {
  verification: 'basic',
  tokenFormat: 'random',
  tokenManagement: 'unique-token',
  onDuplicate: 'return',
} as const

export interface KeyPair {
  publishable_key: string
  secret_key: string
}

export interface CreatedProject {
  project: Project
  keys: Record<Mode, KeyPair>
}

export interface ProjectKeys {
  fingerprintKey: SecretBytes
  tokenKey: SecretBytes
}

/** How long a process trusts a key lookup before reading it again (revocations, settings). */
export const AUTH_CACHE_MS = AUTH_CACHE_DEFAULTS.ttlMs

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length)) {
      // Rejection sampling keeps the characters uniform.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62]
    }
  }
  return out
}

export const hashApiKey = (key: string) => crypto.createHash('sha256').update(key).digest('hex')

const API_KEY_SHAPE = /^(pk|sk)_(test|live)_[0-9A-Za-z]{32}$/

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    verification: row.verification as VerificationName,
    tokenFormat: row.token_format as TokenFormatName,
    tokenManagement: row.token_management as TokenManagement,
    onDuplicate: row.on_duplicate as OnDuplicate,
    webhookUrl: row.webhook_url,
    createdAt: row.created_at,
  }
}

export interface ProjectServiceOptions {
  authCache?: AuthCacheOptions
  /** The webhook-URL rule's settings (TESSERA_ALLOW_PRIVATE_WEBHOOKS, the resolver). */
  webhookUrls?: WebhookUrlPolicy
}

export { projectKeyContext }

export class ProjectService {
  /** Bounded: a flood of made-up keys cannot grow it, nor push real keys out. */
  readonly authCache: AuthCache
  readonly #webhookUrls: WebhookUrlPolicy
  readonly #keys = new Map<string, Promise<ProjectKeys>>()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keySource: KeySource,
    private readonly clock: Clock,
    options: ProjectServiceOptions = {},
  ) {
    this.authCache = new AuthCache(options.authCache)
    this.#webhookUrls = options.webhookUrls ?? { allowPrivate: false, resolve: systemResolve }
  }

  async create(input: ProjectInput): Promise<CreatedProject> {
    // One URL serves both modes: http:// passes here (test mode); live-mode events go only to https:// (the dispatcher checks).
    if (input.webhookUrl) await checkWebhookUrl(input.webhookUrl, { ...this.#webhookUrls, purpose: 'set' })
    const id = 'proj_' + randomBase62(16)
    const now = this.clock.now().toISOString()
    const row = {
      id,
      name: input.name,
      allowed_origins: JSON.stringify(input.allowedOrigins),
      verification: input.verification ?? PROJECT_DEFAULTS.verification,
      token_format: input.tokenFormat ?? PROJECT_DEFAULTS.tokenFormat,
      token_management: input.tokenManagement ?? PROJECT_DEFAULTS.tokenManagement,
      on_duplicate: input.onDuplicate ?? PROJECT_DEFAULTS.onDuplicate,
      webhook_url: input.webhookUrl ?? null,
      fingerprint_key: await this.keySource.wrap(crypto.randomBytes(32), projectKeyContext(id, 'fingerprint')),
      token_key: await this.keySource.wrap(crypto.randomBytes(32), projectKeyContext(id, 'token')),
      master_key_id: this.keySource.currentKeyId,
      created_at: now,
    }
    const keys = {} as Record<Mode, KeyPair>
    const keyRows: Insertable<ApiKeyTable>[] = []
    for (const mode of ['test', 'live'] as const) {
      const pair = { publishable_key: `pk_${mode}_${randomBase62(32)}`, secret_key: `sk_${mode}_${randomBase62(32)}` }
      keys[mode] = pair
      for (const [kind, key] of [['publishable', pair.publishable_key], ['secret', pair.secret_key]] as const) {
        keyRows.push({ id: 'key_' + randomBase62(16), project_id: id, mode, kind, key_hash: hashApiKey(key), prefix: key.slice(0, 12), created_at: now, revoked_at: null })
      }
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('projects').values(row).execute()
      await trx.insertInto('api_keys').values(keyRows).execute()
    })
    return { project: toProject(row), keys }
  }

  async byId(id: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toProject(row)
  }

  async list(): Promise<Project[]> {
    return (await this.db.selectFrom('projects').selectAll().orderBy('created_at').execute()).map(toProject)
  }

  /** The principal a raw API key opens, or null for a malformed, unknown or revoked key. */
  async authenticate(rawKey: string): Promise<Principal | null> {
    if (!API_KEY_SHAPE.test(rawKey)) return null
    const hash = hashApiKey(rawKey)
    const now = this.clock.now().getTime()
    const cached = this.authCache.get(hash, now)
    if (cached !== undefined) return cached
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('projects', 'projects.id', 'api_keys.project_id')
      .selectAll('projects')
      .select(['api_keys.id as key_id', 'api_keys.kind', 'api_keys.mode', 'api_keys.revoked_at'])
      .where('api_keys.key_hash', '=', hash)
      .executeTakeFirst()
    const principal: Principal | null =
      row && row.revoked_at === null ? { keyId: row.key_id, kind: row.kind, mode: row.mode, project: toProject(row) } : null
    this.authCache.set(hash, principal, now)
    return principal
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
