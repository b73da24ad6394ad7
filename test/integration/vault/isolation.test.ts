// Tenant isolation (another project's token is a 404) and test/live separation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard, liveCardNumber } from '../../helpers/cards.js'
import { startVault, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let a: TestProjectKeys
let b: TestProjectKeys

beforeAll(async () => {
  vault = await startVault()
  call = api(vault.url)
  a = await vault.createProject({ name: 'A' })
  b = await vault.createProject({ name: 'B' })
})
afterAll(() => vault.close())

describe('tenant isolation', () => {
  it("answers 404 (not 403) for every operation on another project's token, and changes nothing", async () => {
    const t = (await call('POST', '/v1/tokens', { key: a.test.secret_key, body: { card: await encryptCard(vault.url), customer_id: 'shared' } })).body
    const other = b.test.secret_key
    expect((await call('GET', `/v1/tokens/${t.token}`, { key: other })).status).toBe(404)
    expect((await call('PATCH', `/v1/tokens/${t.token}`, { key: other, body: { name: 'X' } })).status).toBe(404)
    expect((await call('POST', `/v1/tokens/${t.token}/revoke`, { key: other })).status).toBe(404)
    expect((await call('POST', `/v1/tokens/${t.token}/extend`, { key: other, body: { months: 3 } })).status).toBe(404)
    expect((await call('DELETE', `/v1/tokens/${t.token}`, { key: other })).status).toBe(404)
    const search = await call('POST', '/v1/tokens/search', { key: other, body: { customer_id: 'shared' } })
    expect(search.body.data).toEqual([])
    const byCard = await call('POST', '/v1/tokens/search', { key: other, body: { card: await encryptCard(vault.url) } })
    expect(byCard.body.data).toEqual([])
    expect((await call('GET', '/v1/customers/shared/tokens', { key: other })).body.data).toEqual([])
    expect((await call('GET', `/v1/tokens/${t.token}`, { key: a.test.secret_key })).body).toEqual(t)
  })
})

/** A valid number with its check digit moved by one: it fails Luhn, always. */
const breakLuhn = (n: string) => n.slice(0, -1) + String((Number(n.at(-1)) + 1) % 10)

describe('test and live mode', () => {
  it('keeps test tokens invisible to live keys and live tokens invisible to test keys', async () => {
    const testToken = (await call('POST', '/v1/tokens', { key: a.test.secret_key, body: { card: await encryptCard(vault.url), customer_id: 'both' } })).body
    const liveToken = (await call('POST', '/v1/tokens', { key: a.live.secret_key, body: { card: await encryptCard(vault.url, { number: liveCardNumber() }), customer_id: 'both' } })).body
    expect(testToken.mode).toBe('test')
    expect(liveToken.mode).toBe('live')
    expect((await call('GET', `/v1/tokens/${testToken.token}`, { key: a.live.secret_key })).status).toBe(404)
    expect((await call('GET', `/v1/tokens/${liveToken.token}`, { key: a.test.secret_key })).status).toBe(404)
    const liveList = (await call('GET', '/v1/customers/both/tokens', { key: a.live.secret_key })).body.data
    expect(liveList.map((t: { token: string }) => t.token)).toEqual([liveToken.token])
  })

  it('refuses test card numbers in live mode', async () => {
    const res = await call('POST', '/v1/tokens', { key: a.live.publishable_key, body: { card: await encryptCard(vault.url, { number: '4242424242424242' }) } })
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ type: 'card_error', code: 'live_card_required', param: 'card.number' })
  })

  it('runs basic verification in live mode: Luhn, brand, length, expiry, CVC length', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ number: breakLuhn(liveCardNumber()) }, 'invalid_number'],
      [{ number: liveCardNumber('1', 16) }, 'unsupported_brand'],
      [{ number: liveCardNumber('4', 17) }, 'invalid_number'],
      [{ number: liveCardNumber(), exp_month: 1, exp_year: 2022 }, 'expired_card'],
      [{ number: liveCardNumber(), exp_month: 1, exp_year: 2099 }, 'expiry_too_far'],
      [{ number: liveCardNumber(), cvc: '1234' }, 'invalid_cvc'],
      [{ number: liveCardNumber('34', 15), cvc: '123' }, 'invalid_cvc'],
    ]
    for (const [fields, code] of cases) {
      const res = await call('POST', '/v1/tokens', { key: a.live.secret_key, body: { card: await encryptCard(vault.url, fields) } })
      expect([res.status, res.body.error?.code]).toEqual([422, code])
    }
    const amex = await call('POST', '/v1/tokens', { key: a.live.secret_key, body: { card: await encryptCard(vault.url, { number: liveCardNumber('37', 15), cvc: '1234' }) } })
    expect([amex.status, amex.body.card?.brand]).toEqual([201, 'american-express'])
  })
})
