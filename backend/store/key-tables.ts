// Storage for the vault's own keys: JWE and webhook signing keys, card data keys (all wrapped by the key source).
import type { Kysely } from 'kysely'
import type { DataKeyRecord, DataKeyStore } from '../crypto/card-cipher.js'
import type { JweKeyRecord, JweKeyStore } from '../crypto/jwe-keys.js'
import type { Clock } from '../clock.js'
import type { Database, Mode, KeyTable } from './schema.js'

/**
 * A key table in the shape the key rings read. The JWE and webhook key tables have the same
 * columns, so one implementation serves both (kysely is told the table's row type once).
 */
export function keyTableStore(db: Kysely<Database>, table: 'jwe_keys' | 'webhook_keys'): JweKeyStore {
  const kdb = db as unknown as Kysely<{ keys: KeyTable }>
  const t = table as unknown as 'keys'
  const row = (r: JweKeyRecord, masterKeyId: string) => ({
    kid: r.kid,
    public_jwk: JSON.stringify(r.publicJwk),
    private_wrapped: r.privateWrapped,
    master_key_id: masterKeyId,
    status: r.status,
    created_at: r.createdAt,
    retires_at: r.retiresAt,
  })
  return {
    async list() {
      const rows = await kdb.selectFrom(t).selectAll().where('status', '!=', 'retired').execute()
      return rows.map((r) => ({ kid: r.kid, publicJwk: JSON.parse(r.public_jwk), privateWrapped: r.private_wrapped, status: r.status, createdAt: r.created_at, retiresAt: r.retires_at }))
    },
    async insert(record, masterKeyId) {
      await kdb.insertInto(t).values(row(record, masterKeyId)).execute()
    },
    async rotate(record, masterKeyId, retiresAt) {
      await kdb.transaction().execute(async (trx) => {
        await trx.updateTable(t).set({ status: 'retiring', retires_at: retiresAt }).where('status', '=', 'active').execute()
        await trx.insertInto(t).values(row(record, masterKeyId)).execute()
      })
    },
    async retire(kids) {
      await kdb.updateTable(t).set({ status: 'retired' }).where('kid', 'in', kids).execute()
    },
  }
}

export function dataKeyStore(db: Kysely<Database>, clock: Clock): DataKeyStore {
  return {
    async list(projectId, mode) {
      return db
        .selectFrom('data_keys')
        .select(['id', 'wrapped'])
        .where('project_id', '=', projectId)
        .where('mode', '=', mode as Mode)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute() as Promise<DataKeyRecord[]>
    },
    async byId(id) {
      return db.selectFrom('data_keys').select(['id', 'wrapped']).where('id', '=', id).executeTakeFirst()
    },
    async insert(record) {
      await db
        .insertInto('data_keys')
        .values({ id: record.id, project_id: record.projectId, mode: record.mode as Mode, wrapped: record.wrapped, master_key_id: record.masterKeyId, created_at: clock.now().toISOString() })
        .execute()
    },
  }
}
