// The auth cache is bounded: 200k distinct well-shaped unknown keys leave it at its bound,
// real keys keep authenticating (and stay cached), and a revoked key stops working within the
// documented cache time (10 s).
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import { AUTH_CACHE_DEFAULTS } from '../../../backend/projects/auth-cache.js'
import { AUTH_CACHE_MS } from '../../../backend/projects/service.js'
import { api, type Api } from '../../helpers/api.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

const clock = new ManualClock()
let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => {
  ;({ vault, call, keys } = await startVaultWithProject({ clock }))
})
afterAll(() => vault.close())

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const madeUpKey = (i: number) => `sk_test_${i.toString(36).padStart(8, '0')}${[...crypto.randomBytes(24)].map((b) => BASE62[b % 62]).join('')}`
const events = (key: string) => call('GET', '/v1/events?limit=1', { key })

describe('the auth cache', () => {
  it('stays at its bound under 200k distinct well-shaped unknown keys, and real keys still authenticate', async () => {
    const projects = vault.running.vault.projects
    expect((await events(keys.test.secret_key)).status).toBe(200)
    expect((await events(keys.live.secret_key)).status).toBe(200)
    // Over HTTP: unknown keys are refused like any other.
    for (let i = 0; i < 200; i++) expect((await events(madeUpKey(i))).status).toBe(401)
    // The rest straight through the service the auth middleware calls (200k HTTP requests would take minutes).
    for (let i = 200; i < 200_000; i++) expect(await projects.authenticate(madeUpKey(i))).toBeNull()
    // The loop never yielded to timers: let the server's keep-alive timeouts close idle sockets first.
    await new Promise((r) => setTimeout(r, 100))
    expect(projects.authCache.sizes()).toEqual({ known: 2, unknown: AUTH_CACHE_DEFAULTS.maxUnknown, maxKnown: AUTH_CACHE_DEFAULTS.maxKnown, maxUnknown: AUTH_CACHE_DEFAULTS.maxUnknown })
    // The flood pushed no real key out: they answer from the cache and over HTTP.
    expect(projects.authCache.get(crypto.createHash('sha256').update(keys.test.secret_key).digest('hex'), clock.now().getTime())).toMatchObject({ kind: 'secret', mode: 'test' })
    expect((await events(keys.test.secret_key)).status).toBe(200)
    expect((await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: {} })).status).toBe(400)
  }, 120_000)

  it('sees a revoked key within the cache time', async () => {
    const p = await vault.createProject()
    expect((await events(p.test.secret_key)).status).toBe(200)
    const db = vault.running.vault.store.db
    await db.updateTable('api_keys').set({ revoked_at: clock.now().toISOString() }).where('project_id', '=', p.projectId).where('kind', '=', 'secret').where('mode', '=', 'test').execute()
    clock.advance(AUTH_CACHE_MS - 1)
    // Still inside the documented cache time: this process may still answer from its cache.
    expect((await events(p.test.secret_key)).status).toBe(200)
    clock.advance(1)
    expect((await events(p.test.secret_key)).status).toBe(401)
    expect((await events(p.live.secret_key)).status).toBe(200)
  })
})
