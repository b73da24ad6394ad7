// Each token format's property, through the real API.
import creditCardType from 'credit-card-type'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { luhnValid } from '../../../common/card-rules.js'
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

async function tokenize(key: string, overrides = {}, extra: Record<string, unknown> = {}) {
  return call('POST', '/v1/tokens', { key, body: { card: await encryptCard(vault.url, overrides), ...extra } })
}

describe('token formats', () => {
  it('random: 64 hex characters, different every time', async () => {
    const p = await vault.createProject({ tokenFormat: 'random' })
    const values = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const res = await tokenize(p.test.secret_key)
      expect(res.body.token).toMatch(/^[0-9a-f]{64}$/)
      values.add(res.body.token)
    }
    expect(values.size).toBe(20)
  })

  it('deterministic: 66 hex, the same for the same card and expiry (200 on repeat), other for another expiry or project', async () => {
    const p = await vault.createProject({ tokenFormat: 'deterministic' })
    const q = await vault.createProject({ tokenFormat: 'deterministic' })
    const first = await tokenize(p.test.secret_key, { exp_month: 4, exp_year: 2031 })
    expect(first.status).toBe(201)
    expect(first.body.token).toMatch(/^01[0-9a-f]{64}$/)
    const repeat = await tokenize(p.test.secret_key, { exp_month: 4, exp_year: 2031 })
    expect(repeat.status).toBe(200)
    expect(repeat.body.token).toBe(first.body.token)
    const otherExpiry = await tokenize(p.test.secret_key, { exp_month: 5, exp_year: 2031 })
    expect(otherExpiry.body.token).not.toBe(first.body.token)
    const otherProject = await tokenize(q.test.secret_key, { exp_month: 4, exp_year: 2031 })
    expect(otherProject.status).toBe(201)
    expect(otherProject.body.token).not.toBe(first.body.token)
  })

  it('deterministic: a deleted token comes back for the same card; a revoked one is refused', async () => {
    const p = await vault.createProject({ tokenFormat: 'deterministic' })
    const first = await tokenize(p.test.secret_key, { number: '5555555555554444', exp_month: 1, exp_year: 2032 })
    await call('DELETE', `/v1/tokens/${first.body.token}`, { key: p.test.secret_key })
    const revived = await tokenize(p.test.secret_key, { number: '5555555555554444', exp_month: 1, exp_year: 2032 })
    expect([revived.status, revived.body.token, revived.body.status]).toEqual([201, first.body.token, 'active'])
    await call('POST', `/v1/tokens/${first.body.token}/revoke`, { key: p.test.secret_key })
    const refused = await tokenize(p.test.secret_key, { number: '5555555555554444', exp_month: 1, exp_year: 2032 })
    expect([refused.status, refused.body.error.code]).toEqual([409, 'token_unusable'])
  })

  it('luhn: 16 digits starting with 9 that pass Luhn and match no card brand', async () => {
    const p = await vault.createProject({ tokenFormat: 'luhn' })
    for (let i = 0; i < 20; i++) {
      const { token } = (await tokenize(p.test.secret_key)).body
      expect(token).toMatch(/^9\d{15}$/)
      expect(luhnValid(token)).toBe(true)
      expect(creditCardType(token)).toEqual([])
    }
  })

  it('preserve-6.4: keeps the first six and last four digits and never passes Luhn', async () => {
    const p = await vault.createProject({ tokenFormat: 'preserve-6.4' })
    for (const number of ['4242424242424242', '378282246310005', '36227206271667', '5555555555554444']) {
      for (let i = 0; i < 5; i++) {
        const { token } = (await tokenize(p.test.secret_key, { number, cvc: number.startsWith('37') ? '1234' : '123' })).body
        expect(token).toHaveLength(number.length)
        expect(token.slice(0, 6)).toBe(number.slice(0, 6))
        expect(token.slice(-4)).toBe(number.slice(-4))
        expect(token).not.toBe(number)
        expect(luhnValid(token)).toBe(false)
      }
    }
  })

  it('merchant: takes the merchant’s token, refuses one that could be a card (422) or is taken (409)', async () => {
    const p = await vault.createProject({ tokenFormat: 'merchant' })
    const ok = await tokenize(p.test.secret_key, {}, { token: 'cust-42-visa' })
    expect([ok.status, ok.body.token]).toEqual([201, 'cust-42-visa'])
    const before = await tableCounts(vault)
    const taken = await tokenize(p.test.secret_key, { number: '4111111111111111' }, { token: 'cust-42-visa' })
    expect([taken.status, taken.body.error.code]).toEqual([409, 'token_taken'])
    for (const cardLike of ['4111111111111111', '4111-1111-1111-1111', '4111 1111 1111 1111']) {
      const refused = await tokenize(p.test.secret_key, {}, { token: cardLike })
      expect([refused.status, refused.body.error.code]).toEqual([422, 'token_looks_like_card'])
    }
    const missing = await tokenize(p.test.secret_key)
    expect([missing.status, missing.body.error.code]).toEqual([422, 'token_required'])
    expect(await tableCounts(vault)).toEqual(before)
    const digitsButNotLuhn = await tokenize(p.test.secret_key, {}, { token: '4111111111111112' })
    expect(digitsButNotLuhn.status).toBe(201)
  })
})
