// Security headers on every kind of response; CORS only on the public resources; HSTS behind TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject({ env: { TESSERA_TRUST_PROXY: '1' } }, { origins: ['https://shop.example'] })))
afterAll(() => vault.close())

describe('response headers', () => {
  it('carry nosniff, no referrer and a request id on every kind of answer', async () => {
    const token = (await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) } })).body.token
    const answers = [
      await call('GET', '/v1/jwks'),
      await call('GET', `/v1/tokens/${token}`, { key: keys.test.secret_key }),
      await call('GET', '/v1/tokens/nope', { key: keys.test.secret_key }),
      await call('PUT', '/v1/tokens'),
      await call('GET', '/nowhere'),
      await call('GET', '/v1/webhook-keys'),
      await call('GET', '/v1/tessera.js'),
      await call('GET', `/frame/card?key=${keys.test.publishable_key}&origin=${encodeURIComponent('https://shop.example')}`),
    ]
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      expect(res.headers.get('request-id')).toMatch(/^req_/)
      expect(res.headers.get('strict-transport-security')).toBeNull()
    }
  })

  it('let only the frame page be framed, and only by the project’s origins', async () => {
    const frame = await call('GET', `/frame/card?key=${keys.test.publishable_key}&origin=${encodeURIComponent('https://shop.example')}`)
    expect(frame.headers.get('content-security-policy')).toMatch(/frame-ancestors https:\/\/shop\.example$/)
    expect(frame.headers.get('x-frame-options')).toBeNull()
    const api = await call('GET', '/v1/jwks')
    expect(api.headers.get('x-frame-options')).toBe('DENY')
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })

  it('ask for an origin-keyed agent cluster everywhere but on the card frame of a page the browser calls cross-site', async () => {
    const frame = (headers: Record<string, string>) =>
      call('GET', `/frame/card?key=${keys.test.publishable_key}&origin=${encodeURIComponent('https://shop.example')}`, { headers })
    // The browser's Fetch Metadata says how the embedding page relates to the vault.
    const crossSite = await frame({ 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'iframe' })
    expect(crossSite.status).toBe(200)
    expect(crossSite.headers.get('origin-agent-cluster')).toBeNull()
    expect(crossSite.headers.get('content-security-policy')).toMatch(/frame-ancestors https:\/\/shop\.example$/)
    for (const site of ['same-site', 'same-origin', 'none', 'CROSS-SITE', 'cross-site, cross-site']) {
      expect((await frame({ 'sec-fetch-site': site })).headers.get('origin-agent-cluster'), site).toBe('?1')
    }
    expect((await frame({})).headers.get('origin-agent-cluster')).toBe('?1')
    // A project that also allows a page on the vault's own site (here 127.0.0.1, as the vault)
    // keeps ?1 whatever the browser says: that page could be an ancestor of a cross-site parent.
    const mixed = await vault.createProject({ origins: ['https://shop.example', 'http://127.0.0.1:3000'] })
    const mixedFrame = await call('GET', `/frame/card?key=${mixed.test.publishable_key}&origin=${encodeURIComponent('https://shop.example')}`, { headers: { 'sec-fetch-site': 'cross-site' } })
    expect(mixedFrame.status).toBe(200)
    expect(mixedFrame.headers.get('origin-agent-cluster')).toBe('?1')
    // Only the frame page: every other answer asks for it whatever the request says.
    const pk = keys.test.publishable_key
    for (const path of ['/v1/jwks', '/v1/tessera.js', `/frame/card?key=${pk}&origin=${encodeURIComponent('https://evil.example')}`, `/frame/card?key=${pk}`]) {
      expect((await call('GET', path, { headers: { 'sec-fetch-site': 'cross-site' } })).headers.get('origin-agent-cluster'), path).toBe('?1')
    }
  })

  it('grant CORS on the public resources only', async () => {
    for (const path of ['/v1/jwks', '/v1/webhook-keys', '/v1/tessera.js']) {
      expect((await call('GET', path, { headers: { origin: 'https://shop.example' } })).headers.get('access-control-allow-origin'), path).toBe('*')
    }
    const secret = await call('POST', '/v1/tokens/search', { key: keys.test.secret_key, body: {}, headers: { origin: 'https://shop.example' } })
    expect(secret.status).toBe(403)
    expect(secret.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${vault.url}/v1/tokens`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull()
  })

  it('send HSTS when the client came over TLS through a trusted proxy, and never cache API answers', async () => {
    const res = await call('GET', '/v1/tokens/nope', { key: keys.test.secret_key, headers: { 'x-forwarded-proto': 'https' } })
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('are the same on the token read (its answer made with them) as on any other API answer, over HTTP and HTTPS', async () => {
    const sk = keys.test.secret_key
    const token = (await call('POST', '/v1/tokens', { key: sk, body: { card: await encryptCard(vault.url) } })).body.token
    // Headers that belong to the answer itself, not to the rules under test.
    const own = new Set(['content-length', 'date', 'connection', 'keep-alive', 'request-id'])
    const rules = (h: Headers) => Object.fromEntries([...h].filter(([name]) => !own.has(name)))
    for (const proto of [{}, { 'x-forwarded-proto': 'https' }] as Record<string, string>[]) {
      const read = await call('GET', `/v1/tokens/${token}`, { key: sk, headers: proto })
      expect(read.status).toBe(200)
      expect(read.body.token).toBe(token)
      // A 404 in the error shape and a list: answers the edge middleware completed after the route.
      for (const other of [await call('GET', '/v1/tokens/nope', { key: sk, headers: proto }), await call('GET', '/v1/events?limit=1', { key: sk, headers: proto })]) {
        expect(rules(read.headers)).toEqual(rules(other.headers))
      }
      expect(rules(read.headers)).toEqual({
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'cross-origin-opener-policy': 'same-origin',
        'origin-agent-cluster': '?1',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'x-dns-prefetch-control': 'off',
        'x-download-options': 'noopen',
        'x-frame-options': 'DENY',
        'x-permitted-cross-domain-policies': 'none',
        'x-xss-protection': '0',
        ...('x-forwarded-proto' in proto ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
      })
      expect(read.headers.get('request-id')).toMatch(/^req_[0-9a-f]{24}$/)
    }
  })
})
