// Admin keys (`ak_...`): they manage projects and their keys over HTTP. Made by `tessera
// admin-key create` (or `tessera start` for the demo), printed once, stored as a SHA-256.
// Looked up in the database on every call: management is rare, and a revoked key stops at once.
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import type { Database } from '../store/schema.js'
import { ADMIN_KEY_SHAPE, hashApiKey, newAdminKey, newId } from './key-material.js'
import { KeyUsage } from './key-usage.js'

export interface AdminPrincipal {
  adminKeyId: string
  /** The key's hash: signs the project list's cursors, so a cursor serves the key it was made for. */
  keyHash: string
}

export class AdminKeys {
  readonly #usage: KeyUsage

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {
    this.#usage = new KeyUsage(db, clock, 'admin_keys')
  }

  async create(): Promise<{ id: string; secret: string; created_at: string }> {
    const key = newAdminKey()
    const row = { id: newId('ak'), key_hash: key.hash, prefix: key.secret.slice(0, 7), last4: key.last4, created_at: this.clock.now().toISOString(), revoked_at: null, last_used_at: null }
    await this.db.insertInto('admin_keys').values(row).execute()
    return { id: row.id, secret: key.secret, created_at: row.created_at }
  }

  async authenticate(rawKey: string): Promise<AdminPrincipal | null> {
    if (!ADMIN_KEY_SHAPE.test(rawKey)) return null
    const hash = hashApiKey(rawKey)
    const row = await this.db.selectFrom('admin_keys').select(['id', 'revoked_at']).where('key_hash', '=', hash).executeTakeFirst()
    if (!row || row.revoked_at !== null) return null
    this.#usage.touch(row.id)
    return { adminKeyId: row.id, keyHash: hash }
  }

  /** Every admin key that still works, oldest first: id, prefix and last four, dates. */
  async list(): Promise<{ id: string; prefix: string; last4: string; created_at: string; last_used_at: string | null }[]> {
    return this.db.selectFrom('admin_keys').select(['id', 'prefix', 'last4', 'created_at', 'last_used_at']).where('revoked_at', 'is', null).orderBy('created_at').orderBy('id').execute()
  }

  /** Ends an admin key now. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.db.updateTable('admin_keys').set({ revoked_at: this.clock.now().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  flush(): Promise<void> {
    return this.#usage.flush()
  }
}
