// A project's API keys over their life: made (four with the project, restricted ones on
// demand), listed, rolled (a new key now, the old one until its expiry) and deleted (now).
import type { Insertable, Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors.js'
import type { ApiKeyRow, ApiKeyTable, Database, Mode } from '../store/schema.js'
import { newApiKey, newId } from './key-material.js'
import { presentKey, presentNewKey, type ApiKeyObject, type NewApiKeyObject } from './present.js'
import type { KeyKind, Permission } from './project.js'

export const ROLL_LIMITS = {
  /** Without `expires_in_hours` the old key works for a day after a roll. */
  defaultHours: 24,
  maxHours: 168,
} as const

export interface RestrictedKeyInput {
  mode: Mode
  permissions: Permission[]
  name?: string | undefined
}

export interface KeyRowSpec {
  projectId: string
  kind: KeyKind
  mode: Mode
  createdAt: string
  name?: string | null
  permissions?: readonly Permission[] | null
}

/** A new key's row and its secret (which only the caller's answer will ever show). */
export function makeKeyRow(spec: KeyRowSpec): { row: Insertable<ApiKeyTable> & ApiKeyRow; secret: string } {
  const key = newApiKey(spec.kind, spec.mode)
  const permissions = spec.permissions ? JSON.stringify([...new Set(spec.permissions)]) : null
  return {
    secret: key.secret,
    row: {
      id: newId('key'),
      project_id: spec.projectId,
      mode: spec.mode,
      kind: spec.kind,
      name: spec.name ?? null,
      permissions,
      key_hash: key.hash,
      prefix: key.prefix,
      last4: key.last4,
      created_at: spec.createdAt,
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
    },
  }
}

export interface ApiKeysDeps {
  db: Kysely<Database>
  clock: Clock
  /** Called after a key of the project changed, so this process stops trusting cached lookups. */
  onChange(projectId: string): void
}

const keyNotFound = () => new NotFoundError('api_key_not_found', 'No such API key in this project.', 'key_id')

export class ApiKeys {
  constructor(private readonly deps: ApiKeysDeps) {}

  /** The keys that still work: deleted keys and rolled keys past their expiry are left out. */
  async list(projectId: string): Promise<ApiKeyObject[]> {
    const now = this.deps.clock.now().toISOString()
    const rows = await this.deps.db
      .selectFrom('api_keys')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(presentKey)
  }

  async createRestricted(projectId: string, input: RestrictedKeyInput): Promise<NewApiKeyObject> {
    if (input.permissions.length === 0) throw new InvalidRequestError('parameter_invalid', 'A restricted key needs at least one permission.', 'permissions')
    const { row, secret } = makeKeyRow({ projectId, kind: 'restricted', mode: input.mode, createdAt: this.deps.clock.now().toISOString(), name: input.name, permissions: input.permissions })
    await this.deps.db.insertInto('api_keys').values(row).execute()
    return presentNewKey(row, secret)
  }

  /**
   * A new key of the same kind, mode, name and permissions, working at once; the old key works
   * until `expiresInHours` from now (0: it stops now). A key already rolled is not rolled again:
   * delete it to end it sooner.
   */
  async roll(projectId: string, keyId: string, expiresInHours: number = ROLL_LIMITS.defaultHours): Promise<NewApiKeyObject> {
    const now = this.deps.clock.now()
    const expiresAt = new Date(now.getTime() + expiresInHours * 3_600_000).toISOString()
    const made = await this.deps.db.transaction().execute(async (trx) => {
      const old = await this.liveKey(trx, projectId, keyId, now.toISOString())
      if (old.expires_at !== null) throw new ConflictError('api_key_already_rolled', `This key was rolled already and expires at ${old.expires_at}; delete it to stop it sooner.`, 'key_id')
      const next = makeKeyRow({ projectId, kind: old.kind, mode: old.mode, createdAt: now.toISOString(), name: old.name, permissions: old.permissions === null ? null : (JSON.parse(old.permissions) as Permission[]) })
      const updated = await trx.updateTable('api_keys').set({ expires_at: expiresAt }).where('id', '=', keyId).where('expires_at', 'is', null).executeTakeFirst()
      if (Number(updated.numUpdatedRows) !== 1) throw new ConflictError('api_key_already_rolled', 'This key was rolled already.', 'key_id')
      await trx.insertInto('api_keys').values(next.row).execute()
      return next
    })
    this.deps.onChange(projectId)
    return presentNewKey(made.row, made.secret)
  }

  /** The key stops working now (in other processes within the auth cache's bound). */
  async delete(projectId: string, keyId: string): Promise<{ object: 'api_key'; id: string; deleted: true }> {
    const now = this.deps.clock.now().toISOString()
    const result = await this.deps.db.updateTable('api_keys').set({ revoked_at: now }).where('project_id', '=', projectId).where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw keyNotFound()
    this.deps.onChange(projectId)
    return { object: 'api_key', id: keyId, deleted: true }
  }

  private async liveKey(db: Kysely<Database>, projectId: string, keyId: string, now: string): Promise<ApiKeyRow> {
    const row = await db.selectFrom('api_keys').selectAll().where('project_id', '=', projectId).where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst()
    if (!row || (row.expires_at !== null && row.expires_at <= now)) throw keyNotFound()
    return row
  }
}
