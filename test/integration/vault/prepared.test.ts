// Prepared queries (backend/store/prepared.ts) answer what kysely's own builders answer, on
// SQLite and PostgreSQL: the same rows, a taken key as `conflict`, a left-out column at its
// default rather than null, and the same SQL across transactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepared } from '../../../backend/store/prepared.js'
import { recordJti } from '../../../backend/store/replay.js'
import type { NewToken } from '../../../backend/store/schema.js'
import { findToken, insertToken } from '../../../backend/store/tokens.js'
import { startVault, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let projectId: string

beforeAll(async () => {
  vault = await startVault({ background: false })
  await vault.createProject()
  projectId = (await vault.running.vault.projects.list())[0]!.id
})
afterAll(() => vault.close())

const db = () => vault.running.vault.store.db

function tokenRow(token: string, extra: Partial<NewToken> = {}): NewToken {
  const at = new Date().toISOString()
  return {
    project_id: projectId, mode: 'test', token, status: 'active', customer_id: null, brand: 'visa', bin: '424242', last4: '4242', exp_month: 12, exp_year: 2031,
    holder_name: null, fingerprint: 'fp-' + token, account_key: null, data_key_id: null, card_ciphertext: null, verification_strategy: 'basic', verification_result: 'passed',
    created_at: at, updated_at: at, last_used_at: null, expires_at: at, retention_extension_months: 0, retain_until: at, deleted_at: null, ...extra,
  }
}

describe('prepared queries', () => {
  it('insert and read back as kysely does, in and out of transactions; a taken value is a conflict', async () => {
    expect(await insertToken(db(), tokenRow('prep-1', { holder_name: 'Ada' }))).toBe('inserted')
    expect(await db().transaction().execute((trx) => insertToken(trx, tokenRow('prep-2', { customer_id: 'c1' })))).toBe('inserted')
    expect(await insertToken(db(), tokenRow('prep-1'))).toBe('conflict')
    for (const token of ['prep-1', 'prep-2']) {
      const viaKysely = await db().selectFrom('tokens').selectAll().where('project_id', '=', projectId).where('mode', '=', 'test').where('token', '=', token).executeTakeFirst()
      expect(await findToken(db(), { projectId, mode: 'test', token })).toEqual(viaKysely)
      expect(await db().transaction().execute((trx) => findToken(trx, { projectId, mode: 'test', token }))).toEqual(viaKysely)
    }
    expect((await findToken(db(), { projectId, mode: 'test', token: 'prep-1' }))?.holder_name).toBe('Ada')
    expect(await findToken(db(), { projectId, mode: 'live', token: 'prep-1' })).toBeUndefined()
  })

  it('a jti is inserted once, then a conflict', async () => {
    expect(await recordJti(db(), 'prep-jti', new Date().toISOString())).toBe('inserted')
    expect(await recordJti(db(), 'prep-jti', new Date().toISOString())).toBe('conflict')
  })

  it('compiles per shape: a column left out takes its default, not null', async () => {
    const insert = prepared((d, row: Partial<NewToken>) => d.insertInto('tokens').values(row as NewToken))
    await insert(db(), tokenRow('prep-3', { retention_extension_months: 5 }))
    const { retention_extension_months: _left, ...rest } = tokenRow('prep-4')
    await insert(db(), rest)
    expect((await findToken(db(), { projectId, mode: 'test', token: 'prep-3' }))?.retention_extension_months).toBe(5)
    expect((await findToken(db(), { projectId, mode: 'test', token: 'prep-4' }))?.retention_extension_months).toBe(0)
  })

  it('a read outside a transaction never sees what an open transaction wrote (SQLite reads it at once only while no transaction is open)', async () => {
    let pending: Promise<unknown> | undefined
    await expect(
      db().transaction().execute(async (trx) => {
        expect(await insertToken(trx, tokenRow('prep-open'))).toBe('inserted')
        pending = findToken(db(), { projectId, mode: 'test', token: 'prep-open' })
        // Let the read run if it would run now, then roll the row back.
        await new Promise((r) => setTimeout(r, 20))
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    expect(await pending).toBeUndefined()
    expect(await findToken(db(), { projectId, mode: 'test', token: 'prep-open' })).toBeUndefined()
    await insertToken(db(), tokenRow('prep-open'))
    expect((await findToken(db(), { projectId, mode: 'test', token: 'prep-open' }))?.token).toBe('prep-open')
  })
})
