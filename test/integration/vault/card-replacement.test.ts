// PATCH /v1/tokens/:token with {card} of another number, by token format (seed 004), with the
// project's unique-account rule, and refusals that change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_CARD_NUMBERS } from '../../../common/test-cards.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { tableCounts } from '../../helpers/db.js'
import { startVault, type TestVault } from '../../helpers/vault.js'

/** Same first six and last four as 4242424242424242, another number (Luhn-valid). */
const SAME_6_4 = '4242420000004242'
const year = new Date().getUTCFullYear() + 2

let vault: TestVault
let call: Api
beforeAll(async () => {
  vault = await startVault({ testCards: [...TEST_CARD_NUMBERS, SAME_6_4] })
  call = api(vault.url)
})
afterAll(() => vault.close())

async function tokenize(sk: string, number: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/tokens', { key: sk, body: { card: await encryptCard(vault.url, { number, exp_month: 3, exp_year: year }), ...extra } })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}
const patchCard = async (sk: string, token: string, number: string, overrides = {}) =>
  call('PATCH', `/v1/tokens/${token}`, { key: sk, body: { card: await encryptCard(vault.url, { number, exp_month: 9, exp_year: year + 1, ...overrides }) } })

describe('another card behind a token', () => {
  it.each([['random'], ['luhn'], ['merchant']] as const)('%s: the token keeps its value; brand, bin, last four, fingerprint and expiry follow the new card; token.updated', async (tokenFormat) => {
    const p = await vault.createProject({ tokenFormat })
    const sk = p.test.secret_key
    const old = await tokenize(sk, '4242424242424242', tokenFormat === 'merchant' ? { token: `tok_${Math.random().toString(36).slice(2)}` } : { customer_id: 'cus_r' })
    const res = await patchCard(sk, old.token, '5555555555554444', { name: 'NEW HOLDER' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.token).toBe(old.token)
    expect(res.body.card).toEqual({ brand: 'mastercard', bin: '555555', last4: '4444', exp_month: 9, exp_year: year + 1, name: 'NEW HOLDER' })
    expect(res.body.fingerprint).not.toBe(old.fingerprint)
    expect(res.body.expires_at).toBe(new Date(Date.UTC(year + 1, 9, 1)).toISOString())
    expect(res.body).toMatchObject({ status: 'active', last_updated_by: 'merchant', customer_id: old.customer_id, created_at: old.created_at })
    expect((await call('GET', `/v1/tokens/${old.token}`, { key: sk })).body).toEqual(res.body)
    // The fingerprint is the new card's: search by the new card finds the token, by the old one nothing.
    const byNew = await call('POST', '/v1/tokens/search', { key: sk, body: { card: await encryptCard(vault.url, { number: '5555555555554444' }) } })
    expect(byNew.body.data.map((t: any) => t.token)).toEqual([old.token])
    const byOld = await call('POST', '/v1/tokens/search', { key: sk, body: { card: await encryptCard(vault.url, { number: '4242424242424242' }) } })
    expect(byOld.body.data).toEqual([])
    const events = (await call('GET', '/v1/events?type=token.updated', { key: sk })).body.data
    expect(events.map((e: any) => e.data.object)).toEqual([res.body])
    // The change is in the project's audit chain, in the same transaction (backend/audit).
    const audit = (await call('GET', `/v1/audit-events?token=${old.token}`, { key: sk })).body.data
    expect(audit.map((a: any) => a.action)).toContain('token.updated')
  })

  it('deterministic: refused with 422 card_mismatch (its value comes from the number); nothing changes', async () => {
    const p = await vault.createProject({ tokenFormat: 'deterministic' })
    const old = await tokenize(p.test.secret_key, '4242424242424242')
    const before = await tableCounts(vault)
    const res = await patchCard(p.test.secret_key, old.token, '5555555555554444')
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ type: 'card_error', code: 'card_mismatch', param: 'card' })
    expect(await tableCounts(vault)).toEqual(before)
    expect((await call('GET', `/v1/tokens/${old.token}`, { key: p.test.secret_key })).body).toEqual(old)
  })

  it('preserve-6.4: only a card with the same first six and last four', async () => {
    const p = await vault.createProject({ tokenFormat: 'preserve-6.4' })
    const sk = p.test.secret_key
    const old = await tokenize(sk, '4242424242424242')
    const before = await tableCounts(vault)
    const other = await patchCard(sk, old.token, '5555555555554444')
    expect(other.status).toBe(422)
    expect(other.body.error).toMatchObject({ type: 'card_error', code: 'card_mismatch' })
    expect(await tableCounts(vault)).toEqual(before)
    const same64 = await patchCard(sk, old.token, SAME_6_4)
    expect(same64.status, JSON.stringify(same64.body)).toBe(200)
    expect(same64.body.token).toBe(old.token)
    expect(same64.body.fingerprint).not.toBe(old.fingerprint)
    expect(same64.body.card).toMatchObject({ bin: '424242', last4: '4242', exp_month: 9 })
  })

  it('unique-account: a number that has another token in the project is 409 duplicate_account', async () => {
    const p = await vault.createProject({ tokenManagement: 'unique-account', onDuplicate: 'return' })
    const sk = p.test.secret_key
    const a = await tokenize(sk, '4242424242424242')
    const b = await tokenize(sk, '5555555555554444')
    const before = await tableCounts(vault)
    const res = await patchCard(sk, a.token, '5555555555554444')
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'duplicate_account', param: 'card' })
    expect(await tableCounts(vault)).toEqual(before)
    // The account the token held is free again once it holds another card.
    expect((await patchCard(sk, a.token, '4111111111111111')).status).toBe(200)
    const again = await call('POST', '/v1/tokens', { key: sk, body: { card: await encryptCard(vault.url, { number: '4242424242424242' }) } })
    expect(again.status).toBe(201)
    expect([a.token, b.token]).not.toContain(again.body.token)
  })

  it('refuses a bad new card, a revoked token and a replayed JWE, changing nothing', async () => {
    const p = await vault.createProject()
    const sk = p.test.secret_key
    const t = await tokenize(sk, '4242424242424242')
    const before = await tableCounts(vault)
    const expired = await patchCard(sk, t.token, '5555555555554444', { exp_month: 1, exp_year: 2020 })
    expect([expired.status, expired.body.error.code]).toEqual([422, 'expired_card'])
    const notATestCard = await patchCard(sk, t.token, '4242424242424241')
    expect([notATestCard.status, notATestCard.body.error.code]).toEqual([422, 'test_card_required'])
    expect(await tableCounts(vault)).toEqual(before)
    const jwe = await encryptCard(vault.url, { number: '5555555555554444' })
    expect((await call('PATCH', `/v1/tokens/${t.token}`, { key: sk, body: { card: jwe } })).status).toBe(200)
    const replay = await call('PATCH', `/v1/tokens/${t.token}`, { key: sk, body: { card: jwe } })
    expect([replay.status, replay.body.error.code]).toEqual([400, 'replayed_card_encryption'])
    await call('POST', `/v1/tokens/${t.token}/revoke`, { key: sk })
    const revoked = await patchCard(sk, t.token, '4111111111111111')
    expect([revoked.status, revoked.body.error.code]).toEqual([409, 'token_not_updatable'])
    expect((await call('GET', `/v1/tokens/${t.token}`, { key: sk })).body.card.last4).toBe('4444')
  })
})
