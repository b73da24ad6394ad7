// The management API's client for a merchant's or an operator's server: projects and their
// keys over HTTP with an admin key (`ak_...`). Depends on fetch only:
//
//   const vault = new ManagementClient({ vaultUrl: 'https://vault.example', adminKey: process.env.TESSERA_ADMIN_KEY })
//   const project = await vault.createProject({ name: 'Shop', allowed_origins: ['https://shop.example'] })
import type { ApiKeyObject, NewApiKeyObject, ProjectObject } from '../projects/present.js'
import type { Permission } from '../projects/project.js'

export type { ApiKeyObject, NewApiKeyObject, ProjectObject }
export { ON_DUPLICATES, PERMISSIONS, TOKEN_FORMATS, TOKEN_MANAGEMENTS, VERIFICATIONS } from '../projects/project.js'

export interface ProjectSettings {
  name?: string
  display_name?: string | null
  allowed_origins?: string[]
  webhook_url?: string | null
  verification?: ProjectObject['verification']
  token_format?: ProjectObject['token_format']
  token_management?: ProjectObject['token_management']
  on_duplicate?: ProjectObject['on_duplicate']
}

export interface CreatedProjectObject extends ProjectObject {
  /** The project's four keys, each with its `secret`: shown this once. */
  keys: NewApiKeyObject[]
}

export interface ListObject<T> {
  object: 'list'
  data: T[]
  has_more: boolean
  next_cursor: string | null
}

/** The vault's `{"error": {...}}` answer, thrown with its status. */
export class TesseraApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message)
    this.name = 'TesseraApiError'
  }
}

export interface ManagementClientOptions {
  vaultUrl: string
  adminKey: string
  /** Per request; default 10 s. */
  timeoutMs?: number
}

export class ManagementClient {
  readonly #base: string
  readonly #key: string
  readonly #timeoutMs: number

  constructor(options: ManagementClientOptions) {
    this.#base = options.vaultUrl.replace(/\/$/, '')
    this.#key = options.adminKey
    this.#timeoutMs = options.timeoutMs ?? 10_000
  }

  createProject(input: ProjectSettings & { name: string; allowed_origins: string[] }): Promise<CreatedProjectObject> {
    return this.#call('POST', '/v1/projects', input)
  }

  listProjects(page: { limit?: number; cursor?: string } = {}): Promise<ListObject<ProjectObject>> {
    const query = new URLSearchParams(Object.entries(page).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))
    return this.#call('GET', `/v1/projects${query.size ? `?${query}` : ''}`)
  }

  getProject(id: string): Promise<ProjectObject> {
    return this.#call('GET', `/v1/projects/${encodeURIComponent(id)}`)
  }

  updateProject(id: string, settings: ProjectSettings): Promise<ProjectObject> {
    return this.#call('PATCH', `/v1/projects/${encodeURIComponent(id)}`, settings)
  }

  listKeys(projectId: string): Promise<ListObject<ApiKeyObject>> {
    return this.#call('GET', `/v1/projects/${encodeURIComponent(projectId)}/keys`)
  }

  createRestrictedKey(projectId: string, input: { mode: 'test' | 'live'; permissions: Permission[]; name?: string }): Promise<NewApiKeyObject> {
    return this.#call('POST', `/v1/projects/${encodeURIComponent(projectId)}/keys`, input)
  }

  rollKey(projectId: string, keyId: string, input: { expires_in_hours?: number } = {}): Promise<NewApiKeyObject> {
    return this.#call('POST', `/v1/projects/${encodeURIComponent(projectId)}/keys/${encodeURIComponent(keyId)}/roll`, input)
  }

  deleteKey(projectId: string, keyId: string): Promise<{ object: 'api_key'; id: string; deleted: true }> {
    return this.#call('DELETE', `/v1/projects/${encodeURIComponent(projectId)}/keys/${encodeURIComponent(keyId)}`)
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#key}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(this.#base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.#timeoutMs) })
    const parsed = (await res.json().catch(() => null)) as { error?: { type: string; code: string; message: string; param?: string } } | null
    if (!res.ok) {
      const e = parsed?.error
      throw new TesseraApiError(res.status, e?.type ?? 'api_error', e?.code ?? 'unexpected_response', e?.message ?? `The vault answered ${res.status}.`, e?.param)
    }
    return parsed as T
  }
}

/** Whether `secret` is the key a list shows as `key` (same kind, mode, prefix and last four). */
export const isListedKey = (key: ApiKeyObject, secret: string): boolean => key.prefix === secret.slice(0, key.prefix.length) && key.last4 === secret.slice(-4)
