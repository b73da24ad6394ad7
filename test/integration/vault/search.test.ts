// Search, a customer's cards, cursor pages and customer sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys
const tokens: string[] = []

beforeAll(async () => {
  ;({ vault, call, keys } = await startVaultWithProject())
  for (const [i, number] of ['4242424242424242', '5555555555554444', '4242424242424242', '378282246310005', '6011111111111117'].entries()) {
    const res = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url, { number, cvc: number.startsWith('37') ? '1234' : '123' }), customer_id: i < 4 ? 'cust_a' : 'cust_b' } })
    tokens.push(res.body.token)
  }
  await call('POST', `/v1/tokens/${tokens[1]}/revoke`, { key: keys.test.secret_key })
})
afterAll(() => vault.close())

const sk = () => keys.test.secret_key

describe('POST /v1/tokens/search', () => {
  it('finds the tokens of a card by a JWE of its number', async () => {
    const res = await call('POST', '/v1/tokens/search', { key: sk(), body: { card: await encryptCard(vault.url, { number: '4242424242424242' }) } })
    expect(res.status).toBe(200)
    expect(res.body.object).toBe('list')
    expect(res.body.data.map((t: { token: string }) => t.token).sort()).toEqual([tokens[0], tokens[2]].sort())
  })

  it('filters by customer, status and update time', async () => {
    const byCustomer = await call('POST', '/v1/tokens/search', { key: sk(), body: { customer_id: 'cust_b' } })
    expect(byCustomer.body.data.map((t: { token: string }) => t.token)).toEqual([tokens[4]])
    const revoked = await call('POST', '/v1/tokens/search', { key: sk(), body: { status: 'revoked' } })
    expect(revoked.body.data.map((t: { token: string }) => t.token)).toEqual([tokens[1]])
    const future = await call('POST', '/v1/tokens/search', { key: sk(), body: { updated_since: '2999-01-01T00:00:00Z' } })
    expect(future.body.data).toEqual([])
  })

  it('walks all results in cursor pages without repeats', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const res = await call('POST', '/v1/tokens/search', { key: sk(), body: { limit: 2, ...(cursor ? { cursor } : {}) } })
      expect(res.status).toBe(200)
      expect(res.body.data.length).toBeLessThanOrEqual(2)
      seen.push(...res.body.data.map((t: { token: string }) => t.token))
      cursor = res.body.next_cursor ?? undefined
      expect(res.body.has_more).toBe(cursor !== undefined)
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen.sort()).toEqual([...tokens].sort())
  })

  it('refuses a bad limit and a forged cursor with 400', async () => {
    for (const limit of [0, 101, 'ten', 2.5, -1]) {
      const res = await call('POST', '/v1/tokens/search', { key: sk(), body: { limit } })
      expect([res.status, res.body.error.code]).toEqual([400, 'invalid_limit'])
    }
    const page = await call('POST', '/v1/tokens/search', { key: sk(), body: { limit: 1 } })
    const cursor: string = page.body.next_cursor
    const forged = cursor.replace(/^./, (ch) => (ch === 'W' ? 'X' : 'W'))
    for (const bad of [forged, 'abc', 42, cursor + 'x']) {
      const res = await call('POST', '/v1/tokens/search', { key: sk(), body: { cursor: bad } })
      expect([res.status, res.body.error.code]).toEqual([400, 'invalid_cursor'])
    }
    const other = await vault.createProject()
    const foreign = await call('POST', '/v1/tokens/search', { key: other.test.secret_key, body: { cursor } })
    expect(foreign.status).toBe(400)
  })
})

describe('GET /v1/customers/:id/tokens', () => {
  it("lists a customer's cards, newest first, with pages and a status filter", async () => {
    const all = await call('GET', '/v1/customers/cust_a/tokens', { key: sk() })
    expect(all.body.data.map((t: { token: string }) => t.token)).toEqual([tokens[3], tokens[2], tokens[1], tokens[0]])
    const active = await call('GET', '/v1/customers/cust_a/tokens?status=active&limit=2', { key: sk() })
    expect(active.body.data).toHaveLength(2)
    expect(active.body.has_more).toBe(true)
    const rest = await call('GET', `/v1/customers/cust_a/tokens?status=active&limit=2&cursor=${encodeURIComponent(active.body.next_cursor)}`, { key: sk() })
    expect(rest.body.data.map((t: { token: string }) => t.token)).toEqual([tokens[0]])
    expect((await call('GET', '/v1/customers/cust_a/tokens?limit=500', { key: sk() })).status).toBe(400)
    expect((await call('GET', '/v1/customers/cust_a/tokens?colour=red', { key: sk() })).status).toBe(400)
  })
})

describe('customer sessions', () => {
  it("let the publishable key list one customer's active cards, masked, and nothing else", async () => {
    const session = await call('POST', '/v1/customer-sessions', { key: sk(), body: { customer_id: 'cust_a' } })
    expect(session.status).toBe(201)
    expect(session.body).toMatchObject({ object: 'customer_session', customer_id: 'cust_a' })
    const secret: string = session.body.client_secret
    expect(secret).toMatch(/^cs_test_/)
    const list = await call('GET', '/v1/customer-sessions/tokens', { key: keys.test.publishable_key, headers: { 'tessera-customer-session': secret } })
    expect(list.status).toBe(200)
    // tokens[0] and tokens[2] hold the same card: the shopper sees it once, as its newest token.
    expect(list.body.data.map((c: { token: string }) => c.token)).toEqual([tokens[3], tokens[2]])
    expect(Object.keys(list.body.data[0]).sort()).toEqual(['card', 'object', 'token'])
    expect(Object.keys(list.body.data[0].card).sort()).toEqual(['brand', 'exp_month', 'exp_year', 'last4'])
  })

  it('refuse a tampered or missing secret, another project, and the publishable key alone on other endpoints', async () => {
    const { client_secret } = (await call('POST', '/v1/customer-sessions', { key: sk(), body: { customer_id: 'cust_a' } })).body
    const [head, mac] = (client_secret as string).split('.')
    const tampered = `${head}x.${mac}`
    for (const secret of [tampered, 'cs_test_x.y', '']) {
      const res = await call('GET', '/v1/customer-sessions/tokens', { key: keys.test.publishable_key, headers: { 'tessera-customer-session': secret } })
      expect(res.status).toBe(401)
    }
    const other = await vault.createProject()
    const foreign = await call('GET', '/v1/customer-sessions/tokens', { key: other.test.publishable_key, headers: { 'tessera-customer-session': client_secret } })
    expect(foreign.status).toBe(401)
    const live = await call('GET', '/v1/customer-sessions/tokens', { key: keys.live.publishable_key, headers: { 'tessera-customer-session': client_secret } })
    expect(live.status).toBe(401)
    expect((await call('POST', '/v1/customer-sessions', { key: keys.test.publishable_key, body: { customer_id: 'cust_a' } })).status).toBe(403)
  })
})
