import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { tableCounts } from '../../helpers/db.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys
const year = new Date().getUTCFullYear() + 2

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject()))
afterAll(() => vault.close())

async function newToken(overrides = {}) {
  const res = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url, { exp_month: 3, exp_year: year, ...overrides }), customer_id: 'cust_life' } })
  expect(res.status).toBe(201)
  return res.body
}

const sk = () => keys.test.secret_key

describe('PATCH /v1/tokens/:token', () => {
  it('updates the expiry and the holder name, and recomputes expiry and retention dates', async () => {
    const t = await newToken()
    const res = await call('PATCH', `/v1/tokens/${t.token}`, { key: sk(), body: { exp_month: 11, exp_year: year + 1, name: 'JANE DOE' } })
    expect(res.status).toBe(200)
    expect(res.body.card).toMatchObject({ exp_month: 11, exp_year: year + 1, name: 'JANE DOE', last4: '4242' })
    expect(res.body.expires_at).toBe(new Date(Date.UTC(year + 1, 11, 1)).toISOString())
    expect(res.body.retain_until).toBe(new Date(Date.UTC(year + 3, 1, 1)).toISOString())
    expect(res.body.updated_at >= t.updated_at).toBe(true)
    expect((await call('GET', `/v1/tokens/${t.token}`, { key: sk() })).body).toEqual(res.body)
  })

  it('takes the same card again as a JWE; another card replaces it (card-replacement.test.ts)', async () => {
    const t = await newToken()
    const same = await call('PATCH', `/v1/tokens/${t.token}`, { key: sk(), body: { card: await encryptCard(vault.url, { exp_month: 8, exp_year: year + 2, name: 'NEW NAME' }) } })
    expect(same.status).toBe(200)
    expect(same.body.card).toMatchObject({ exp_month: 8, exp_year: year + 2, name: 'NEW NAME' })
    expect(same.body.last_updated_by).toBe('merchant')
    expect(same.body.card.last4).toBe(t.card.last4)
  })

  it('refuses a past expiry, half an expiry, an empty patch and unknown fields', async () => {
    const t = await newToken()
    const past = await call('PATCH', `/v1/tokens/${t.token}`, { key: sk(), body: { exp_month: 1, exp_year: 2020 } })
    expect([past.status, past.body.error.code]).toEqual([422, 'expired_card'])
    const half = await call('PATCH', `/v1/tokens/${t.token}`, { key: sk(), body: { exp_month: 1 } })
    expect([half.status, half.body.error.code]).toEqual([400, 'parameter_invalid'])
    const empty = await call('PATCH', `/v1/tokens/${t.token}`, { key: sk(), body: {} })
    expect(empty.status).toBe(400)
    const unknown = await call('PATCH', `/v1/tokens/${t.token}`, { key: sk(), body: { number: '4242424242424242' } })
    expect(unknown.body.error).toMatchObject({ code: 'parameter_unknown', param: 'number' })
    expect((await call('GET', `/v1/tokens/${t.token}`, { key: sk() })).body).toEqual(t)
  })
})

describe('POST /v1/tokens/:token/revoke', () => {
  it('makes the token revoked, answers the same on a second revoke, and refuses updates after', async () => {
    const t = await newToken()
    const res = await call('POST', `/v1/tokens/${t.token}/revoke`, { key: sk() })
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('revoked')
    const again = await call('POST', `/v1/tokens/${t.token}/revoke`, { key: sk() })
    expect(again.body).toEqual(res.body)
    const update = await call('PATCH', `/v1/tokens/${t.token}`, { key: sk(), body: { name: 'X' } })
    expect([update.status, update.body.error.code]).toEqual([409, 'token_not_updatable'])
  })
})

describe('DELETE /v1/tokens/:token', () => {
  it('destroys the stored card, keeps a tombstone without card data, and the token is gone', async () => {
    const t = await newToken()
    const res = await call('DELETE', `/v1/tokens/${t.token}`, { key: sk() })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ object: 'token', token: t.token, deleted: true })
    expect((await call('GET', `/v1/tokens/${t.token}`, { key: sk() })).status).toBe(404)
    expect((await call('DELETE', `/v1/tokens/${t.token}`, { key: sk() })).status).toBe(404)
    const row = await vault.running.vault.store.db.selectFrom('tokens').selectAll().where('token', '=', t.token).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'deleted', card_ciphertext: null, data_key_id: null })
    expect(row.deleted_at).not.toBeNull()
    const audit = await vault.running.vault.store.db.selectFrom('audit_log').select(['action', 'actor']).where('token', '=', t.token).orderBy('created_at').execute()
    expect(audit.map((a) => a.action)).toEqual(['token.created', 'token.deleted'])
    expect(audit[1]?.actor).toMatch(/^key:key_/)
  })
})

describe('POST /v1/tokens/:token/extend', () => {
  it('extends retention by up to 24 months past the policy, not cumulatively', async () => {
    const t = await newToken()
    const res = await call('POST', `/v1/tokens/${t.token}/extend`, { key: sk(), body: { months: 24 } })
    expect(res.status).toBe(200)
    expect(res.body.retain_until).toBe(new Date(Date.UTC(year + 3, 5, 1)).toISOString())
    const again = await call('POST', `/v1/tokens/${t.token}/extend`, { key: sk(), body: { months: 6 } })
    expect(again.body.retain_until).toBe(new Date(Date.UTC(year + 1, 11, 1)).toISOString())
    for (const months of [0, 25, 1.5, -1]) {
      const bad = await call('POST', `/v1/tokens/${t.token}/extend`, { key: sk(), body: { months } })
      expect([bad.status, bad.body.error.param]).toEqual([400, 'months'])
    }
  })
})

describe('secret-key endpoints', () => {
  it('refuse the publishable key with 403 and a missing token with 404', async () => {
    const t = await newToken()
    const res = await call('GET', `/v1/tokens/${t.token}`, { key: keys.test.publishable_key })
    expect([res.status, res.body.error.code]).toEqual([403, 'secret_key_required'])
    const missing = await call('GET', `/v1/tokens/${'0'.repeat(64)}`, { key: sk() })
    expect([missing.status, missing.body.error.code]).toEqual([404, 'token_not_found'])
    const weird = await call('GET', `/v1/tokens/${encodeURIComponent('a b<script>')}`, { key: sk() })
    expect(weird.status).toBe(404)
  })

  it('refuse a secret key sent from a browser page', async () => {
    const t = await newToken()
    const res = await call('GET', `/v1/tokens/${t.token}`, { key: sk(), headers: { origin: vault.origin } })
    expect([res.status, res.body.error.code]).toEqual([403, 'secret_key_in_browser'])
  })
})
