// Migration 0004 on a database that already holds idempotency records: they move under the
// mode's secret key, so a server's retry across the upgrade still replays, and a publishable
// key's request with the same Idempotency-Key does not.
import crypto from 'node:crypto'
import { Migrator } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrations } from '../../../backend/store/migrations/index.js'
import type { Api } from '../../helpers/api.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject()))
afterAll(() => vault.close())

describe('migration 0004', () => {
  it('keeps an earlier idempotency record for the secret key only', async () => {
    const db = vault.running.vault.store.db
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    const down = await migrator.migrateTo('0003_payments')
    expect(down.error).toBeUndefined()

    const raw = JSON.stringify({ card: 'not-a-jwe' })
    const now = new Date()
    const legacy = {
      project_id: keys.projectId,
      mode: 'test',
      key: 'legacy-1',
      request_hash: crypto.createHash('sha256').update(`POST /v1/tokens\n${raw}`).digest('hex'),
      state: 'done',
      response_status: 201,
      response_body: '{"object":"token","token":"from-before-the-upgrade"}',
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 60_000).toISOString(),
    }
    await (db as any).insertInto('idempotency_keys').values(legacy).execute()
    const up = await migrator.migrateToLatest()
    expect(up.error).toBeUndefined()

    const secretKey = await db.selectFrom('api_keys').select('id').where('project_id', '=', keys.projectId).where('mode', '=', 'test').where('kind', '=', 'secret').executeTakeFirstOrThrow()
    const row = await db.selectFrom('idempotency_keys').selectAll().where('key', '=', 'legacy-1').executeTakeFirstOrThrow()
    expect(row).toMatchObject({ key_id: secretKey.id, state: 'done', response_status: 201 })

    const headers = { 'idempotency-key': 'legacy-1', 'content-type': 'application/json' }
    const server = await call('POST', '/v1/tokens', { key: keys.test.secret_key, rawBody: raw, headers })
    expect([server.status, server.body.token, server.headers.get('idempotent-replayed')]).toEqual([201, 'from-before-the-upgrade', 'true'])
    const browser = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, rawBody: raw, headers })
    expect(browser.headers.get('idempotent-replayed')).toBeNull()
    expect(browser.status).toBe(400)
    expect(await db.selectFrom('customer_sessions').selectAll().execute()).toEqual([])
  })
})
