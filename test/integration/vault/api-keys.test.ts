// A project's keys through the management API: the list, restricted keys limited to their
// permissions on every secret-key route, rolling with an expiry (an injected clock), deletion,
// and last_used_at written at most once a minute.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import { ROUTE_PERMISSIONS } from '../../../backend/http/permissions.js'
import { PERMISSIONS } from '../../../backend/projects/project.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVault, type TestVault } from '../../helpers/vault.js'

// Real time at each test's start (the JWEs carry a real `iat`), then moved by hand.
const clock = new ManualClock()
beforeEach(() => clock.set(Date.now()))
let vault: TestVault
let call: Api
let admin: string

beforeAll(async () => {
  vault = await startVault({ clock })
  call = api(vault.url)
  admin = await vault.createAdminKey()
})
afterAll(() => vault.close())

const manage = (method: string, path: string, body?: unknown) => call(method, path, { key: admin, body })

async function newProject() {
  const res = await manage('POST', '/v1/projects', { name: 'Keys', allowed_origins: ['https://shop.example'] })
  expect(res.status).toBe(201)
  const key = (kind: string, mode = 'test') => res.body.keys.find((k: any) => k.kind === kind && k.mode === mode)
  return { id: res.body.id as string, sk: key('secret'), pk: key('publishable'), liveSk: key('secret', 'live') }
}

const tokenize = async (key: string) => call('POST', '/v1/tokens', { key, body: { card: await encryptCard(vault.url) } })
const readToken = (key: string, token: string) => call('GET', `/v1/tokens/${token}`, { key })

describe('GET /v1/projects/:id/keys', () => {
  it('lists every key with id, kind, mode, prefix and last four, permissions and dates, never a secret or hash', async () => {
    const p = await newProject()
    const res = await manage('GET', `/v1/projects/${p.id}/keys`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null })
    expect(res.body.data).toHaveLength(4)
    for (const key of res.body.data) {
      expect(Object.keys(key).sort()).toEqual(['created_at', 'expires_at', 'id', 'kind', 'last4', 'last_used_at', 'mode', 'name', 'object', 'permissions', 'prefix'])
    }
    expect(JSON.stringify(res.body)).not.toContain(p.sk.secret)
    expect((await manage('GET', '/v1/projects/proj_AAAAAAAAAAAAAAAA/keys')).status).toBe(404)
  })
})

describe('restricted keys', () => {
  it('are made with a mode and permissions, shown once, and listed without their secret', async () => {
    const p = await newProject()
    const res = await manage('POST', `/v1/projects/${p.id}/keys`, { mode: 'live', permissions: ['tokens:read', 'payments:read'], name: 'reporting' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ object: 'api_key', kind: 'restricted', mode: 'live', name: 'reporting', permissions: ['tokens:read', 'payments:read'], expires_at: null })
    expect(res.body.secret).toMatch(/^rk_live_[0-9A-Za-z]{32}$/)
    const listed = (await manage('GET', `/v1/projects/${p.id}/keys`)).body.data.find((k: any) => k.id === res.body.id)
    const { secret: _secret, ...shown } = res.body
    expect(listed).toEqual(shown)
  })

  it('refuses bad key bodies with 400', async () => {
    const p = await newProject()
    for (const body of [{ mode: 'test', permissions: [] }, { mode: 'test', permissions: ['tokens:delete'] }, { mode: 'prod', permissions: ['tokens:read'] }, { permissions: ['tokens:read'] }, { mode: 'test', permissions: ['tokens:read'], kind: 'secret' }]) {
      expect((await manage('POST', `/v1/projects/${p.id}/keys`, body)).status, JSON.stringify(body)).toBe(400)
    }
  })

  it('do what their permissions allow and answer 403 permission_missing outside them', async () => {
    const p = await newProject()
    const token = (await tokenize(p.sk.secret)).body.token
    const reader = (await manage('POST', `/v1/projects/${p.id}/keys`, { mode: 'test', permissions: ['tokens:read'] })).body.secret
    expect((await readToken(reader, token)).status).toBe(200)
    for (const [method, path, body] of [['POST', '/v1/tokens', { card: await encryptCard(vault.url) }], ['POST', `/v1/tokens/${token}/revoke`, undefined], ['POST', '/v1/payments', { token, amount: 100, currency: 'EUR' }], ['GET', '/v1/events', undefined]] as const) {
      const res = await call(method, path, { key: reader, body })
      expect(res.status, path).toBe(403)
      expect(res.body.error, path).toMatchObject({ type: 'permission_error', code: 'permission_missing' })
    }
    // Nothing was revoked.
    expect((await readToken(p.sk.secret, token)).body.status).toBe('active')
    // A restricted key is a server key: a browser page may not use it either.
    expect((await call('GET', `/v1/tokens/${token}`, { key: reader, headers: { origin: 'https://shop.example' } })).status).toBe(403)
  })

  it('are held to the permission table on every secret-key route the app mounts', async () => {
    const p = await newProject()
    const routes = vault.running.vault.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/v1/'))
    const mounted = [...new Set(routes.map((r) => `${r.method} ${r.path}`))].filter((r) => !r.includes(' /v1/projects'))
    // A route is keyed when it refuses a request without a key: found by asking, not by a list.
    const keyed: string[] = []
    for (const route of mounted) {
      const [method, pattern] = route.split(' ') as [string, string]
      const res = await call(method, pattern.replace(/:[a-z_]+/g, 'x1'), { body: method === 'GET' || method === 'DELETE' ? undefined : {} })
      if (res.status === 401 && res.body.error?.code === 'missing_api_key') keyed.push(route)
    }
    expect(keyed).toEqual(expect.arrayContaining(['GET /v1/events', 'POST /v1/tokens', 'GET /v1/tokens/:token', 'POST /v1/payments', 'GET /v1/audit-events']))
    // Every mounted secret-key route has its line in the one table.
    expect(keyed.filter((r) => !(r in ROUTE_PERMISSIONS))).toEqual([])
    const withAll = (await manage('POST', `/v1/projects/${p.id}/keys`, { mode: 'test', permissions: [...PERMISSIONS] })).body.secret
    for (const route of keyed) {
      const [method, pattern] = route.split(' ') as [string, string]
      const needed = ROUTE_PERMISSIONS[route] as string
      const path = pattern.replace(/:[a-z_]+/g, 'x1')
      const without = (await manage('POST', `/v1/projects/${p.id}/keys`, { mode: 'test', permissions: PERMISSIONS.filter((x) => x !== needed) })).body.secret
      const refused = await call(method, path, { key: without, body: method === 'GET' || method === 'DELETE' ? undefined : {} })
      expect(refused.status, route).toBe(403)
      expect(refused.body.error.code, route).toBe('permission_missing')
      const passed = await call(method, path, { key: withAll, body: method === 'GET' || method === 'DELETE' ? undefined : {} })
      expect(passed.body.error?.code, route).not.toBe('permission_missing')
    }
  })
})

describe('rolling a key', () => {
  it('makes a new key at once and keeps the old one until its expiry, then 401', async () => {
    const p = await newProject()
    const token = (await tokenize(p.sk.secret)).body.token
    const res = await manage('POST', `/v1/projects/${p.id}/keys/${p.sk.id}/roll`, { expires_in_hours: 2 })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ object: 'api_key', kind: 'secret', mode: 'test', expires_at: null })
    expect(res.body.secret).toMatch(/^sk_test_/)
    expect(res.body.id).not.toBe(p.sk.id)
    const listed = (await manage('GET', `/v1/projects/${p.id}/keys`)).body.data
    expect(listed.find((k: any) => k.id === p.sk.id).expires_at).toBe(new Date(clock.now().getTime() + 2 * 3_600_000).toISOString())
    expect((await readToken(res.body.secret, token)).status).toBe(200)
    expect((await readToken(p.sk.secret, token)).status).toBe(200)
    clock.advance(2 * 3_600_000 - 1)
    expect((await readToken(p.sk.secret, token)).status).toBe(200)
    clock.advance(1)
    const expired = await readToken(p.sk.secret, token)
    expect(expired.status).toBe(401)
    expect(expired.body.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' })
    expect((await readToken(res.body.secret, token)).status).toBe(200)
    // Past its expiry the old key leaves the list, and cannot be rolled again.
    expect((await manage('GET', `/v1/projects/${p.id}/keys`)).body.data.map((k: any) => k.id)).not.toContain(p.sk.id)
    expect((await manage('POST', `/v1/projects/${p.id}/keys/${p.sk.id}/roll`, {})).status).toBe(404)
  })

  it('with 0 hours ends the old key now; the default is 24 hours; a rolled key is not rolled twice', async () => {
    const p = await newProject()
    const now0 = await manage('POST', `/v1/projects/${p.id}/keys/${p.pk.id}/roll`, { expires_in_hours: 0 })
    expect(now0.body.secret).toMatch(/^pk_test_/)
    expect((await tokenize(p.pk.secret)).status).toBe(401)
    expect((await call('GET', `/frame/card?key=${now0.body.secret}&origin=${encodeURIComponent('https://shop.example')}`)).status).toBe(200)
    const restricted = (await manage('POST', `/v1/projects/${p.id}/keys`, { mode: 'test', permissions: ['tokens:read'], name: 'r' })).body
    const rolled = await manage('POST', `/v1/projects/${p.id}/keys/${restricted.id}/roll`, {})
    expect(rolled.body).toMatchObject({ kind: 'restricted', permissions: ['tokens:read'], name: 'r' })
    const old = (await manage('GET', `/v1/projects/${p.id}/keys`)).body.data.find((k: any) => k.id === restricted.id)
    expect(old.expires_at).toBe(new Date(clock.now().getTime() + 24 * 3_600_000).toISOString())
    const again = await manage('POST', `/v1/projects/${p.id}/keys/${restricted.id}/roll`, {})
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('api_key_already_rolled')
  })

  it('refuses expiries outside 0-168 whole hours, and unknown keys', async () => {
    const p = await newProject()
    for (const body of [{ expires_in_hours: 169 }, { expires_in_hours: -1 }, { expires_in_hours: 1.5 }, { expires_in_hours: '2' }, { expires: 1 }]) {
      expect((await manage('POST', `/v1/projects/${p.id}/keys/${p.sk.id}/roll`, body)).status, JSON.stringify(body)).toBe(400)
    }
    expect((await manage('POST', `/v1/projects/${p.id}/keys/key_AAAAAAAAAAAAAAAA/roll`, {})).status).toBe(404)
    // Another project's key is not found through this one.
    const other = await newProject()
    expect((await manage('POST', `/v1/projects/${p.id}/keys/${other.sk.id}/roll`, {})).status).toBe(404)
    expect((await readToken(p.sk.secret, 'x')).status).toBe(404)
  })
})

describe('deleting a key', () => {
  it('stops it now, leaves the others working, and a second delete is a 404', async () => {
    const p = await newProject()
    const token = (await tokenize(p.sk.secret)).body.token
    const res = await manage('DELETE', `/v1/projects/${p.id}/keys/${p.sk.id}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ object: 'api_key', id: p.sk.id, deleted: true })
    expect((await readToken(p.sk.secret, token)).status).toBe(401)
    expect((await call('GET', '/v1/events', { key: p.liveSk.secret })).status).toBe(200)
    expect((await manage('GET', `/v1/projects/${p.id}/keys`)).body.data.map((k: any) => k.id)).not.toContain(p.sk.id)
    expect((await manage('DELETE', `/v1/projects/${p.id}/keys/${p.sk.id}`)).status).toBe(404)
  })
})

describe('last_used_at', () => {
  async function lastUsed(projectId: string, keyId: string): Promise<string | null> {
    // Written in the background: give the write a moment.
    await new Promise((r) => setTimeout(r, 50))
    return (await manage('GET', `/v1/projects/${projectId}/keys`)).body.data.find((k: any) => k.id === keyId).last_used_at
  }

  it('is set on use and written again at most once a minute', async () => {
    const p = await newProject()
    expect(await lastUsed(p.id, p.liveSk.id)).toBeNull()
    const first = clock.now().toISOString()
    await call('GET', '/v1/events', { key: p.liveSk.secret })
    expect(await lastUsed(p.id, p.liveSk.id)).toBe(first)
    clock.advance(59_000)
    await call('GET', '/v1/events', { key: p.liveSk.secret })
    expect(await lastUsed(p.id, p.liveSk.id)).toBe(first)
    clock.advance(1_000)
    const later = clock.now().toISOString()
    await call('GET', '/v1/events', { key: p.liveSk.secret })
    expect(await lastUsed(p.id, p.liveSk.id)).toBe(later)
  })
})
