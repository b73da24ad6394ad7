// unique-token vs unique-account, and the two duplicate modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { tableCounts } from '../../helpers/db.js'
import { startVault, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api

beforeAll(async () => {
  vault = await startVault()
  call = api(vault.url)
})
afterAll(() => vault.close())

async function tokenize(key: string, overrides = {}) {
  return call('POST', '/v1/tokens', { key, body: { card: await encryptCard(vault.url, overrides) } })
}

describe('unique-account with on_duplicate return', () => {
  it('returns the existing token with 200 and updates its expiry when it differs', async () => {
    const p = await vault.createProject({ tokenManagement: 'unique-account', onDuplicate: 'return' })
    const first = await tokenize(p.test.secret_key, { exp_month: 2, exp_year: 2031 })
    expect(first.status).toBe(201)
    const same = await tokenize(p.test.secret_key, { exp_month: 2, exp_year: 2031 })
    expect(same.status).toBe(200)
    expect(same.body).toEqual(first.body)
    const renewed = await tokenize(p.test.secret_key, { exp_month: 9, exp_year: 2034 })
    expect(renewed.status).toBe(200)
    expect(renewed.body.token).toBe(first.body.token)
    expect(renewed.body.card).toMatchObject({ exp_month: 9, exp_year: 2034 })
    expect(renewed.body.expires_at).toBe('2034-10-01T00:00:00.000Z')
    const other = await tokenize(p.test.secret_key, { number: '4111111111111111' })
    expect(other.status).toBe(201)
  })

  it('issues a new token for a card whose token was revoked', async () => {
    const p = await vault.createProject({ tokenManagement: 'unique-account' })
    const first = await tokenize(p.test.secret_key)
    await call('POST', `/v1/tokens/${first.body.token}/revoke`, { key: p.test.secret_key })
    const next = await tokenize(p.test.secret_key)
    expect(next.status).toBe(201)
    expect(next.body.token).not.toBe(first.body.token)
  })

  it('never yields two tokens for one card under concurrent requests', async () => {
    const p = await vault.createProject({ tokenManagement: 'unique-account' })
    const results = await Promise.all(Array.from({ length: 12 }, () => tokenize(p.test.secret_key, { number: '6011111111111117' })))
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true)
    expect(results.filter((r) => r.status === 201)).toHaveLength(1)
    expect(new Set(results.map((r) => r.body.token)).size).toBe(1)
  })
})

describe('unique-account with on_duplicate error', () => {
  it('answers 409 duplicate_account and changes nothing', async () => {
    const p = await vault.createProject({ tokenManagement: 'unique-account', onDuplicate: 'error' })
    const first = await tokenize(p.test.secret_key, { exp_month: 2, exp_year: 2031 })
    const before = await tableCounts(vault)
    const dup = await tokenize(p.test.secret_key, { exp_month: 7, exp_year: 2033 })
    expect(dup.status).toBe(409)
    expect(dup.body.error).toMatchObject({ type: 'invalid_request_error', code: 'duplicate_account' })
    expect(await tableCounts(vault)).toEqual(before)
    expect((await call('GET', `/v1/tokens/${first.body.token}`, { key: p.test.secret_key })).body).toEqual(first.body)
  })
})
