// Rate limits on tokenize and on the customer-session card list: 429 with Retry-After in the
// error shape, per key and per client address, nothing stored, others unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { tableCounts } from '../../helpers/db.js'
import { startVault, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

const clock = new ManualClock()
let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => {
  vault = await startVault({
    clock,
    env: {
      TESSERA_TRUST_PROXY: '1',
      TESSERA_RATE_LIMITS: JSON.stringify({
        tokenize: { perKey: { perSecond: 1, burst: 5 }, perAddress: { perSecond: 0.5, burst: 3 } },
        customerSessionList: { perKey: null, perAddress: { perSecond: 1, burst: 2 } },
      }),
    },
  })
  call = api(vault.url)
  keys = await vault.createProject()
})
afterAll(() => vault.close())

const iat = () => Math.floor(clock.now().getTime() / 1000)
const tokenize = async (key: string, address: string) =>
  call('POST', '/v1/tokens', { key, body: { card: await encryptCard(vault.url, { iat: iat() }) }, headers: { 'x-forwarded-for': address } })

describe('rate limits', () => {
  it('limit tokenize per client address for publishable keys, with Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await tokenize(keys.test.publishable_key, '198.51.100.7')).status).toBe(201)
    const before = await tableCounts(vault)
    const limited = await tokenize(keys.test.publishable_key, '198.51.100.7')
    expect(limited.status).toBe(429)
    expect(limited.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' })
    expect(Number(limited.headers.get('retry-after'))).toBe(2)
    expect(await tableCounts(vault)).toEqual(before)
    expect((await tokenize(keys.test.publishable_key, '198.51.100.8')).status).toBe(201)
    clock.advance(2000)
    expect((await tokenize(keys.test.publishable_key, '198.51.100.7')).status).toBe(201)
  })

  it('limit tokenize per key whatever the address; another key is unaffected', async () => {
    const p = await vault.createProject()
    const statuses = []
    for (let i = 0; i < 7; i++) statuses.push((await tokenize(p.test.secret_key, `203.0.113.${i}`)).status)
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429])
    const q = await vault.createProject()
    expect((await tokenize(q.test.secret_key, '203.0.113.1')).status).toBe(201)
  })

  it('limit the customer-session card list per address', async () => {
    const { client_secret } = (await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: 'c_rl' } })).body
    const list = () => call('GET', '/v1/customer-sessions/tokens', { key: keys.test.publishable_key, headers: { 'tessera-customer-session': client_secret, 'x-forwarded-for': '192.0.2.1' } })
    expect([(await list()).status, (await list()).status, (await list()).status]).toEqual([200, 200, 429])
  })
})
