// Databases made before the audit chain: migration 0007 chains their audit rows, per project and
// mode, in the order they were written (created_at, then id), and new events continue the chain.
import path from 'node:path'
import { Kysely, Migrator } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { presentAuditEvent } from '../../../backend/audit/chain.js'
import { SQLITE_FILE } from '../../../backend/config.js'
import { appendAudit, type AuditRow } from '../../../backend/store/audit.js'
import { openStore, type Store } from '../../../backend/store/database.js'
import { postgresDialect } from '../../../backend/store/dialects/postgres.js'
import { sqliteDialect } from '../../../backend/store/dialects/sqlite.js'
import { migrations } from '../../../backend/store/migrations/index.js'
import type { Database } from '../../../backend/store/schema.js'
import { expectValidChain } from '../../helpers/audit.js'
import { runTessera } from '../../helpers/processes.js'
import { createTestDatabase, tempDir } from '../../helpers/vault.js'

const dataDir = tempDir('tessera-audit-migration-')
let databaseUrl: string | undefined
let store: Store

const legacy = [
  { id: 'aud_03', project_id: 'proj_a', mode: 'test', token: 'tok_1', action: 'token.deleted', actor: 'key:key_1', request_id: 'req_3', created_at: '2025-01-02T00:00:00.000Z' },
  { id: 'aud_01', project_id: 'proj_a', mode: 'test', token: 'tok_1', action: 'token.created', actor: 'key:key_1', request_id: 'req_1', created_at: '2025-01-01T00:00:00.000Z' },
  { id: 'aud_02', project_id: 'proj_a', mode: 'test', token: 'tok_2', action: 'token.created', actor: 'key:key_1', request_id: 'req_2', created_at: '2025-01-01T00:00:00.000Z' },
  { id: 'aud_04', project_id: 'proj_a', mode: 'test', token: 'tok_2', action: 'token.expired', actor: 'system:expiry', request_id: null, created_at: '2025-02-01T00:00:00.000Z' },
  { id: 'aud_05', project_id: 'proj_a', mode: 'live', token: 'tok_9', action: 'token.created', actor: 'key:key_2', request_id: 'req_5', created_at: '2025-01-01T00:00:00.000Z' },
] as const

beforeAll(async () => {
  if (process.env.TESSERA_TEST_STORE === 'postgres') databaseUrl = await createTestDatabase()
  const dialect = databaseUrl ? postgresDialect({ url: databaseUrl }) : sqliteDialect({ file: path.join(dataDir, SQLITE_FILE) })
  const old = new Kysely<Database>({ dialect: dialect.createKyselyDialect() })
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0007'))
  const migrated = await new Migrator({ db: old, provider: { getMigrations: async () => before } }).migrateToLatest()
  expect(migrated.error).toBeUndefined()
  await old.insertInto('audit_log').values(legacy as never).execute()
  await old.destroy()
  await dialect.close?.()
  store = await openStore({ databaseUrl, sqliteFile: path.join(dataDir, SQLITE_FILE) })
})
afterAll(() => store?.close())

const chain = async (mode: string) =>
  (await store.db.selectFrom('audit_log').selectAll().where('project_id', '=', 'proj_a').where('mode', '=', mode as 'test').orderBy('seq').execute()).map((r) => presentAuditEvent({ ...r }))

describe('migration 0007 on a database with audit rows', () => {
  it('chains the existing rows per project and mode in created_at, then id, order', async () => {
    const test = await chain('test')
    expect(test.map((e) => e.id)).toEqual(['aud_01', 'aud_02', 'aud_03', 'aud_04'])
    expect(test[3]?.actor).toEqual({ type: 'job', job: 'expiry' })
    expectValidChain(test, 'proj_a', 'test')
    expectValidChain(await chain('live'), 'proj_a', 'live')
  })

  it('continues the chain with new events, and tessera audit verify accepts it', async () => {
    const added: AuditRow = await store.db.transaction().execute((trx) => appendAudit(trx, { projectId: 'proj_a', mode: 'test', action: 'token.revoked', token: 'tok_2', actor: { kind: 'key', keyId: 'key_1', requestId: 'req_6' }, at: new Date() }))
    expect(added.seq).toBe(5)
    const test = await chain('test')
    expect(test.map((e) => e.id)).toEqual(['aud_01', 'aud_02', 'aud_03', 'aud_04', added.id])
    expectValidChain(test, 'proj_a', 'test')
    const out = await runTessera(['audit', 'verify', '--data', dataDir], { DATABASE_URL: databaseUrl ?? '' })
    expect(out.code, out.stderr).toBe(0)
    expect(out.stdout).toContain('audit verify: ok, 2 chains, 6 events')
  })
})
