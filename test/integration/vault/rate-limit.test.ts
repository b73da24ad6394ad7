// Rate limits on tokenize and on the customer-session card list: 429 with Retry-After in the
// error shape, per key and per client address, nothing stored, others unaffected. The client
// address is what the trusted proxies saw (X-Forwarded-For read from the right): entries a
// client writes in front of it never give it a fresh bucket.
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
/** `forwarded` is the X-Forwarded-For header as the proxy hands it on: what the client sent, then what the proxy saw. */
const tokenizeVia = async (target: { url: string; call: Api }, key: string, forwarded: string) =>
  target.call('POST', '/v1/tokens', { key, body: { card: await encryptCard(target.url, { iat: iat() }) }, headers: { 'x-forwarded-for': forwarded } })
const tokenize = (key: string, forwarded: string) => tokenizeVia({ url: vault.url, call }, key, forwarded)

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

  // Each key below makes at most five calls: the per-key limit (burst 5) stays out of the way.
  it('count a client by what the proxy saw: spoofed leftmost entries give no fresh bucket', async () => {
    const p = await vault.createProject()
    const statuses = []
    // One client (203.0.113.50 as the proxy saw it) writing a new X-Forwarded-For each time.
    for (let i = 0; i < 5; i++) statuses.push((await tokenize(p.test.publishable_key, `10.9.${i}.1, 198.51.100.${i}, 203.0.113.50`)).status)
    expect(statuses).toEqual([201, 201, 201, 429, 429])
    const q = await vault.createProject()
    // The same client sending no header of its own is the same bucket, whatever the key.
    expect((await tokenize(q.test.publishable_key, '203.0.113.50')).status).toBe(429)
    // A client that writes the address it wants to be counted as is still counted by what the proxy appended.
    expect((await tokenize(q.test.publishable_key, '203.0.113.50, 203.0.113.51')).status).toBe(201)
  })

  it('count an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 one', async () => {
    const p = await vault.createProject()
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await tokenize(p.test.publishable_key, `2001:db8:7:1::${(i + 1).toString(16)}`)).status)
    expect(statuses).toEqual([201, 201, 201, 429])
    expect((await tokenize(p.test.publishable_key, '2001:db8:7:2::1')).status).toBe(201)
    const q = await vault.createProject()
    for (let i = 0; i < 3; i++) expect((await tokenize(q.test.publishable_key, '192.0.2.77')).status).toBe(201)
    expect((await tokenize(q.test.publishable_key, '::ffff:192.0.2.77')).status).toBe(429)
  })

  it('limit the customer-session card list per address', async () => {
    const { client_secret } = (await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: 'c_rl' } })).body
    const list = (forwarded: string) => call('GET', '/v1/customer-sessions/tokens', { key: keys.test.publishable_key, headers: { 'tessera-customer-session': client_secret, 'x-forwarded-for': forwarded } })
    expect([(await list('192.0.2.1')).status, (await list('6.6.6.6, 192.0.2.1')).status, (await list('7.7.7.7, 192.0.2.1')).status]).toEqual([200, 200, 429])
  })
})

describe('behind two proxies (TESSERA_TRUST_PROXY=2)', () => {
  let two: { url: string; call: Api; vault: TestVault; keys: TestProjectKeys }
  beforeAll(async () => {
    const v = await startVault({ clock, env: { TESSERA_TRUST_PROXY: '2', TESSERA_RATE_LIMITS: JSON.stringify({ tokenize: { perKey: null, perAddress: { perSecond: 0.5, burst: 2 } } }) } })
    two = { url: v.url, call: api(v.url), vault: v, keys: await v.createProject() }
  })
  afterAll(() => two.vault.close())

  it('take the address the outer proxy saw, second from the right', async () => {
    const pk = two.keys.test.publishable_key
    // [what the client wrote..., what the outer proxy saw, what the inner proxy saw (the outer proxy)]
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await tokenizeVia(two, pk, `172.16.${i}.9, 198.51.100.20, 10.0.0.2`)).status)
    expect(statuses).toEqual([201, 201, 429])
    // Another client through the same outer proxy has its own bucket; the proxies' own addresses are no client's.
    expect((await tokenizeVia(two, pk, '198.51.100.21, 10.0.0.2')).status).toBe(201)
    expect((await tokenizeVia(two, pk, '198.51.100.22, 10.0.0.2')).status).toBe(201)
  })
})
