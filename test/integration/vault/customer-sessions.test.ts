// POST /v1/customer-sessions: what the merchant's server binds for the browser, stored under a
// hashed secret; a session works only with its own project's and mode's publishable key, and
// only for 30 minutes. Every refusal leaves the database as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { tableCounts, tokenRows } from '../../helpers/db.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

const clock = new ManualClock(new Date().toISOString())
let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject({ clock })))
afterAll(() => vault.close())

const SESSION = 'tessera-customer-session'
const MINUTE = 60_000
// The vault's clock is manual: the JWE must be fresh by it.
const card = (overrides = {}) => encryptCard(vault.url, { iat: Math.floor(clock.now().getTime() / 1000), ...overrides })

async function snapshot() {
  return { counts: await tableCounts(vault), tokens: await tokenRows(vault) }
}

/** A refused tokenize with this session header changes nothing and answers 401 invalid_customer_session. */
async function expectRefusedSession(publishableKey: string, secret: string): Promise<string> {
  const before = await snapshot()
  const res = await call('POST', '/v1/tokens', { key: publishableKey, headers: { [SESSION]: secret }, body: { card: await card() } })
  expect(res.status).toBe(401)
  expect(res.body.error).toMatchObject({ type: 'authentication_error', code: 'invalid_customer_session' })
  const list = await call('GET', '/v1/customer-sessions/tokens', { key: publishableKey, headers: { [SESSION]: secret } })
  expect([list.status, list.body.error?.code]).toEqual([401, 'invalid_customer_session'])
  expect(await snapshot()).toEqual(before)
  return res.body.error.message
}

describe('POST /v1/customer-sessions', () => {
  it('answers 201 with a 30-minute client secret and stores only its hash and what it binds', async () => {
    const res = await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: 'cus_1' } })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body).sort()).toEqual(['client_secret', 'customer_id', 'expires_at', 'object'])
    expect(res.body).toMatchObject({ object: 'customer_session', customer_id: 'cus_1', expires_at: new Date(clock.now().getTime() + 30 * MINUTE).toISOString() })
    expect(res.body.client_secret).toMatch(/^cs_test_[A-Za-z0-9_-]{43}$/)
    const rows = await vault.running.vault.store.db.selectFrom('customer_sessions').selectAll().execute()
    const row = rows.find((r) => r.customer_id === 'cus_1')
    expect(row).toMatchObject({ project_id: keys.projectId, mode: 'test', token: null })
    expect(JSON.stringify(rows)).not.toContain(res.body.client_secret.slice(8))
  })

  it('lists the same card saved twice for a customer once, and different cards each', async () => {
    const session = async () => (await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: 'cus_dedupe' } })).body.client_secret
    const save = async (number: string) => {
      const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, headers: { [SESSION]: await session() }, body: { card: await card({ number }) } })
      expect(res.status).toBe(201)
      return res.body.token as string
    }
    await save('4242424242424242')
    await save('4242424242424242')
    await save('5555555555554444')
    const list = await call('GET', '/v1/customer-sessions/tokens', { key: keys.test.publishable_key, headers: { [SESSION]: await session() } })
    expect(list.status).toBe(200)
    expect(list.body.data.map((c: any) => c.card.last4).sort()).toEqual(['4242', '4444'])
    expect(JSON.stringify(list.body)).not.toContain('fingerprint')
  })

  it('binds a token value alone on a merchant-format project; its session lists no cards', async () => {
    const merchant = await vault.createProject({ tokenFormat: 'merchant' })
    const res = await call('POST', '/v1/customer-sessions', { key: merchant.test.secret_key, body: { token: 'order-42' } })
    expect(res.status).toBe(201)
    expect(res.body.customer_id).toBeNull()
    const list = await call('GET', '/v1/customer-sessions/tokens', { key: merchant.test.publishable_key, headers: { [SESSION]: res.body.client_secret } })
    expect(list.body).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null })
  })

  it('refuses bad bindings and publishable keys, and stores nothing', async () => {
    const merchant = await vault.createProject({ tokenFormat: 'merchant' })
    const before = await snapshot()
    const cases = [
      { key: keys.test.secret_key, body: {}, status: 400, code: 'parameter_missing' },
      { key: keys.test.secret_key, body: { token: 'order-1' }, status: 400, code: 'token_not_supported' },
      { key: merchant.test.secret_key, body: { token: '4242424242424242' }, status: 422, code: 'token_looks_like_card' },
      { key: merchant.test.secret_key, body: { token: 'spaces are not allowed' }, status: 422, code: 'invalid_token_value' },
      { key: keys.test.secret_key, body: { customer_id: 'c_1', extra: 1 }, status: 400, code: 'parameter_unknown' },
      { key: keys.test.publishable_key, body: { customer_id: 'c_1' }, status: 403, code: 'secret_key_required' },
    ]
    for (const { key, body, status, code } of cases) {
      const res = await call('POST', '/v1/customer-sessions', { key, body })
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([status, code])
    }
    expect(await snapshot()).toEqual(before)
  })
})

describe('a customer session in the browser', () => {
  it("works only with its own project's and mode's publishable key", async () => {
    const { client_secret } = (await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: 'cus_2' } })).body
    const other = await vault.createProject()
    await expectRefusedSession(other.test.publishable_key, client_secret)
    await expectRefusedSession(keys.live.publishable_key, client_secret)
    const ok = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, headers: { [SESSION]: client_secret }, body: { card: await card() } })
    expect(ok.status).toBe(201)
  })

  it('refuses unknown and malformed secrets', async () => {
    for (const secret of ['cs_test_' + 'A'.repeat(43), 'nonsense', 'cs_test_ü' + 'A'.repeat(42)]) await expectRefusedSession(keys.test.publishable_key, secret)
  })

  it('expires after 30 minutes, with a message that says so', async () => {
    const { client_secret } = (await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: 'cus_3' } })).body
    clock.advance(29 * MINUTE)
    expect((await call('GET', '/v1/customer-sessions/tokens', { key: keys.test.publishable_key, headers: { [SESSION]: client_secret } })).status).toBe(200)
    clock.advance(1 * MINUTE)
    expect(await expectRefusedSession(keys.test.publishable_key, client_secret)).toContain('expired')
  })

  it('is forgotten by housekeeping once expired', async () => {
    await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: 'cus_4' } })
    clock.advance(31 * MINUTE)
    const report = await vault.running.vault.jobs.runOnce('housekeeping')
    expect(report).toHaveProperty('customer_sessions')
    expect((await tableCounts(vault)).customer_sessions).toBe(0)
  })
})
