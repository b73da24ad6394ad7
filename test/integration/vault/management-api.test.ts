// The management API over real HTTP: admin keys only, projects created, listed, read and
// changed, and the refusals (non-admin keys, bad bodies, bad origins, token settings once
// tokens exist), each changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVault, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let admin: string

beforeAll(async () => {
  vault = await startVault()
  call = api(vault.url)
  admin = await vault.createAdminKey()
})
afterAll(() => vault.close())

const manage = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(method, path, { key: admin, body, headers })

async function projectCount(): Promise<number> {
  const row = await vault.running.vault.store.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

async function newProject(body: Record<string, unknown> = {}) {
  const res = await manage('POST', '/v1/projects', { name: 'Shop', allowed_origins: ['https://shop.example'], ...body })
  expect(res.status).toBe(201)
  return res.body
}

const secretOf = (project: any, kind: string, mode = 'test') => project.keys.find((k: any) => k.kind === kind && k.mode === mode).secret as string

describe('who may call the management API', () => {
  it('refuses a missing key (401), a project key (403 admin_key_required) and an unknown admin key (401)', async () => {
    const p = await newProject()
    expect((await call('GET', '/v1/projects')).body.error).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' })
    for (const key of [secretOf(p, 'secret'), secretOf(p, 'publishable'), secretOf(p, 'secret', 'live')]) {
      const res = await call('GET', '/v1/projects', { key })
      expect(res.status).toBe(403)
      expect(res.body.error).toMatchObject({ type: 'permission_error', code: 'admin_key_required' })
    }
    const unknown = await call('POST', '/v1/projects', { key: 'ak_' + 'x'.repeat(40), body: { name: 'X', allowed_origins: ['https://x.example'] } })
    expect(unknown.status).toBe(401)
    expect(unknown.body.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' })
  })

  it('takes the auth scheme in any case (RFC 9110: "bearer" is "Bearer"), for admin and project keys alike', async () => {
    const p = await newProject()
    for (const scheme of ['bearer', 'BEARER']) {
      expect((await call('GET', '/v1/projects', { headers: { authorization: `${scheme} ${admin}` } })).status).toBe(200)
      const token = await call('POST', '/v1/tokens', { headers: { authorization: `${scheme} ${secretOf(p, 'secret')}` }, body: { card: await encryptCard(vault.url) } })
      expect(token.status).toBe(201)
    }
    // The key itself stays case-sensitive.
    expect((await call('GET', '/v1/projects', { headers: { authorization: `Bearer ${admin.toUpperCase()}` } })).status).toBe(401)
  })

  it("refuses an admin key on a project's routes with 403 secret_key_required, and it changes nothing there", async () => {
    const p = await newProject()
    const token = await call('POST', '/v1/tokens', { key: secretOf(p, 'secret'), body: { card: await encryptCard(vault.url) } })
    for (const [method, path] of [['GET', `/v1/tokens/${token.body.token}`], ['POST', `/v1/tokens/${token.body.token}/revoke`], ['GET', '/v1/payments'], ['GET', '/v1/events']] as const) {
      const res = await manage(method, path)
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body.error).toMatchObject({ type: 'permission_error', code: 'secret_key_required' })
    }
    expect((await call('GET', `/v1/tokens/${token.body.token}`, { key: secretOf(p, 'secret') })).body.status).toBe('active')
  })

  it('refuses an admin key sent by a browser page', async () => {
    const res = await manage('GET', '/v1/projects', undefined, { origin: vault.origin })
    expect(res.status).toBe(403)
    expect(res.body.error.type).toBe('permission_error')
  })

  it('refuses Idempotency-Key, whose stored answer would hold the new secrets', async () => {
    const before = await projectCount()
    const res = await manage('POST', '/v1/projects', { name: 'X', allowed_origins: ['https://x.example'] }, { 'idempotency-key': 'k1' })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('idempotency_key_not_supported')
    expect(await projectCount()).toBe(before)
  })
})

describe('POST /v1/projects', () => {
  it('answers 201 with the project and its four keys, shown once, that work at once', async () => {
    const res = await manage('POST', '/v1/projects', { name: 'Books', display_name: 'Book Corner', allowed_origins: ['HTTPS://Shop.Example:443/', 'http://localhost:3000'], verification: 'none', token_format: 'luhn' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ object: 'project', name: 'Books', display_name: 'Book Corner', allowed_origins: ['https://shop.example', 'http://localhost:3000'], verification: 'none', token_format: 'luhn', token_management: 'unique-token', on_duplicate: 'return', require_cvc_for_saved_cards: false, webhook_url: null })
    expect(res.body.id).toMatch(/^proj_[0-9A-Za-z]{16}$/)
    expect(res.body.keys).toHaveLength(4)
    for (const key of res.body.keys) {
      expect(key).toMatchObject({ object: 'api_key', permissions: null, expires_at: null, last_used_at: null })
      expect(key.secret).toMatch(new RegExp(`^${key.kind === 'secret' ? 'sk' : 'pk'}_${key.mode}_[0-9A-Za-z]{32}$`))
      expect(key.prefix).toBe(key.secret.slice(0, 12))
      expect(key.last4).toBe(key.secret.slice(-4))
    }
    const token = await call('POST', '/v1/tokens', { key: secretOf(res.body, 'secret'), body: { card: await encryptCard(vault.url) } })
    expect(token.status).toBe(201)
    expect(token.body.token).toMatch(/^9\d{15}$/)
    // Read back, the project holds no secret.
    const read = await manage('GET', `/v1/projects/${res.body.id}`)
    const { keys: _keys, ...project } = res.body
    expect(read.body).toEqual(project)
    expect(JSON.stringify(read.body)).not.toContain(secretOf(res.body, 'secret'))
  })

  it('refuses bad bodies and bad origins with 400, creating nothing', async () => {
    const before = await projectCount()
    const bad: [unknown, string, string?][] = [
      [{ allowed_origins: ['https://a.example'] }, 'parameter_missing', 'name'],
      [{ name: 'X' }, 'parameter_missing', 'allowed_origins'],
      [{ name: 'X', allowed_origins: [] }, 'parameter_invalid', 'allowed_origins'],
      [{ name: 'X', allowed_origins: ['https://a.example/checkout'] }, 'origin_invalid', 'allowed_origins'],
      [{ name: 'X', allowed_origins: ['not a url'] }, 'origin_invalid', 'allowed_origins'],
      [{ name: 'X', allowed_origins: ['ftp://a.example'] }, 'origin_invalid', 'allowed_origins'],
      [{ name: 'X', allowed_origins: ['https://a.example?x=1'] }, 'origin_invalid', 'allowed_origins'],
      [{ name: 'X', allowed_origins: ['https://user@a.example'] }, 'origin_invalid', 'allowed_origins'],
      [{ name: 'X', allowed_origins: ['https://a.example'], token_format: 'uuid' }, 'parameter_invalid', 'token_format'],
      [{ name: 'X', allowed_origins: ['https://a.example'], webhook_url: 'not a url' }, 'invalid_webhook_url', 'webhook_url'],
      [{ name: 'X', allowed_origins: ['https://a.example'], colour: 'red' }, 'parameter_unknown', 'colour'],
      [{ name: '', allowed_origins: ['https://a.example'] }, 'parameter_invalid', 'name'],
    ]
    for (const [body, code, param] of bad) {
      const res = await manage('POST', '/v1/projects', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error, JSON.stringify(body)).toMatchObject({ type: 'invalid_request_error', code, param })
    }
    expect(await projectCount()).toBe(before)
  })
})

describe('GET /v1/projects', () => {
  it('pages newest first with a cursor, and refuses a forged cursor or a bad limit', async () => {
    const made = [await newProject({ name: 'P1' }), await newProject({ name: 'P2' }), await newProject({ name: 'P3' })]
    const first = await manage('GET', '/v1/projects?limit=2')
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ object: 'list', has_more: true })
    expect(first.body.data.map((p: any) => p.id)).toEqual([made[2].id, made[1].id])
    expect(first.body.data[0].keys).toBeUndefined()
    const seen: string[] = first.body.data.map((p: any) => p.id)
    let cursor = first.body.next_cursor
    while (cursor) {
      const next = await manage('GET', `/v1/projects?limit=2&cursor=${encodeURIComponent(cursor)}`)
      expect(next.status).toBe(200)
      seen.push(...next.body.data.map((p: any) => p.id))
      cursor = next.body.next_cursor
    }
    expect(seen).toHaveLength(await projectCount())
    expect(new Set(seen).size).toBe(seen.length)
    expect((await manage('GET', '/v1/projects?cursor=' + encodeURIComponent(first.body.next_cursor.slice(0, -2) + 'AA'))).body.error.code).toBe('invalid_cursor')
    expect((await manage('GET', '/v1/projects?limit=0')).status).toBe(400)
    expect((await manage('GET', '/v1/projects?limit=101')).status).toBe(400)
    // A cursor serves the admin key it was made for.
    const other = await vault.createAdminKey()
    expect((await call('GET', `/v1/projects?cursor=${encodeURIComponent(first.body.next_cursor)}`, { key: other })).status).toBe(400)
  })
})

describe('GET and PATCH /v1/projects/:id', () => {
  it('answers 404 project_not_found for an unknown or malformed id', async () => {
    for (const id of ['proj_AAAAAAAAAAAAAAAA', 'nope', 'proj_%27']) {
      const res = await manage('GET', `/v1/projects/${id}`)
      expect(res.status).toBe(404)
      expect(res.body.error.code).toBe('project_not_found')
    }
    expect((await manage('PATCH', '/v1/projects/proj_AAAAAAAAAAAAAAAA', { name: 'X' })).status).toBe(404)
  })

  it('changes name, display name, origins, webhook URL, verification and on_duplicate, and the change is used at once', async () => {
    const p = await newProject({ verification: 'basic' })
    const res = await manage('PATCH', `/v1/projects/${p.id}`, { name: 'Renamed', display_name: 'Renamed Ltd', allowed_origins: ['https://new.example/'], webhook_url: 'https://hooks.example/tessera', verification: 'none', on_duplicate: 'error' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ name: 'Renamed', display_name: 'Renamed Ltd', allowed_origins: ['https://new.example'], webhook_url: 'https://hooks.example/tessera', verification: 'none', on_duplicate: 'error' })
    expect((await manage('GET', `/v1/projects/${p.id}`)).body).toEqual(res.body)
    const token = await call('POST', '/v1/tokens', { key: secretOf(p, 'secret'), body: { card: await encryptCard(vault.url) } })
    expect(token.body.verification.strategy).toBe('none')
    const frame = (origin: string) => call('GET', `/frame/card?key=${secretOf(p, 'publishable')}&origin=${encodeURIComponent(origin)}`)
    expect((await frame('https://new.example')).status).toBe(200)
    expect((await frame('https://shop.example')).status).toBe(403)
    // Clearing: null removes the webhook URL and the display name.
    const cleared = await manage('PATCH', `/v1/projects/${p.id}`, { webhook_url: null, display_name: null })
    expect(cleared.body).toMatchObject({ webhook_url: null, display_name: null, name: 'Renamed' })
  })

  it('sets require_cvc_for_saved_cards at creation and changes it by PATCH; a non-boolean is a 400', async () => {
    const made = await manage('POST', '/v1/projects', { name: 'Strict', allowed_origins: ['https://shop.example'], require_cvc_for_saved_cards: true })
    expect(made.status).toBe(201)
    expect(made.body.require_cvc_for_saved_cards).toBe(true)
    const off = await manage('PATCH', `/v1/projects/${made.body.id}`, { require_cvc_for_saved_cards: false })
    expect(off.status).toBe(200)
    expect((await manage('GET', `/v1/projects/${made.body.id}`)).body.require_cvc_for_saved_cards).toBe(false)
    const bad = await manage('PATCH', `/v1/projects/${made.body.id}`, { require_cvc_for_saved_cards: 'yes' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.param).toBe('require_cvc_for_saved_cards')
  })

  it('sets tokenize_on_purchase and account_updater at creation and by PATCH, and refuses other values', async () => {
    const p = await newProject()
    expect((await manage('GET', `/v1/projects/${p.id}`)).body).toMatchObject({ tokenize_on_purchase: false, account_updater: 'off' })
    const on = await manage('PATCH', `/v1/projects/${p.id}`, { tokenize_on_purchase: true, account_updater: 'on' })
    expect(on.status).toBe(200)
    expect(on.body).toMatchObject({ tokenize_on_purchase: true, account_updater: 'on' })
    expect((await manage('GET', `/v1/projects/${p.id}`)).body).toMatchObject({ tokenize_on_purchase: true, account_updater: 'on' })
    for (const body of [{ account_updater: 'sometimes' }, { tokenize_on_purchase: 'yes' }]) {
      const bad = await manage('PATCH', `/v1/projects/${p.id}`, body)
      expect(bad.status).toBe(400)
      expect(bad.body.error.type).toBe('invalid_request_error')
    }
    expect((await manage('GET', `/v1/projects/${p.id}`)).body).toMatchObject({ tokenize_on_purchase: true, account_updater: 'on' })
  })

  it('changes token_format and token_management only while the project holds no token (else 409, nothing changed)', async () => {
    const p = await newProject()
    const early = await manage('PATCH', `/v1/projects/${p.id}`, { token_format: 'deterministic', token_management: 'unique-account' })
    expect(early.status).toBe(200)
    expect(early.body).toMatchObject({ token_format: 'deterministic', token_management: 'unique-account' })
    expect((await call('POST', '/v1/tokens', { key: secretOf(p, 'secret'), body: { card: await encryptCard(vault.url) } })).status).toBe(201)
    for (const body of [{ token_format: 'random' }, { token_management: 'unique-token' }, { token_format: 'luhn', name: 'Also renamed' }]) {
      const late = await manage('PATCH', `/v1/projects/${p.id}`, body)
      expect(late.status).toBe(409)
      expect(late.body.error).toMatchObject({ type: 'invalid_request_error', code: 'project_has_tokens' })
    }
    // The same value again is no change, and other settings still change.
    expect((await manage('PATCH', `/v1/projects/${p.id}`, { token_format: 'deterministic', name: 'Kept' })).status).toBe(200)
    expect((await manage('GET', `/v1/projects/${p.id}`)).body).toMatchObject({ token_format: 'deterministic', token_management: 'unique-account', name: 'Kept' })
  })

  it('refuses bad PATCH bodies with 400 and changes nothing', async () => {
    const p = await newProject()
    for (const body of [{}, { allowed_origins: ['https://a.example/path'] }, { allowed_origins: [] }, { verification: 'strict' }, { id: 'proj_x' }, { webhook_url: 'mailto:x@example.com' }]) {
      const res = await manage('PATCH', `/v1/projects/${p.id}`, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
    const { keys: _keys, ...stored } = p
    expect((await manage('GET', `/v1/projects/${p.id}`)).body).toEqual(stored)
  })
})

describe('allowed origins in live mode', () => {
  it('lets a live key embed on https and loopback origins only, while test keys take plain http too', async () => {
    const p = await newProject({ allowed_origins: ['http://shop.test', 'https://shop.example', 'http://localhost:3000'] })
    expect(p.allowed_origins).toEqual(['http://shop.test', 'https://shop.example', 'http://localhost:3000'])
    const frame = (mode: string, origin: string) => call('GET', `/frame/card?key=${secretOf(p, 'publishable', mode)}&origin=${encodeURIComponent(origin)}`)
    expect((await frame('test', 'http://shop.test')).status).toBe(200)
    const live = await frame('live', 'http://shop.test')
    expect(live.status).toBe(403)
    const liveOk = await frame('live', 'https://shop.example')
    expect(liveOk.status).toBe(200)
    expect(liveOk.headers.get('content-security-policy')).toContain('frame-ancestors https://shop.example http://localhost:3000')
    expect(liveOk.headers.get('content-security-policy')).not.toContain('http://shop.test')
    expect((await frame('live', 'http://localhost:3000')).status).toBe(200)
  })
})

describe('webhook URLs set through the management API', () => {
  it('are held to the webhook-URL rule on POST and PATCH (400 invalid_webhook_url), changing nothing', async () => {
    const strict = await startVault({ env: { TESSERA_ALLOW_PRIVATE_WEBHOOKS: '0' }, resolve: async () => [{ address: '10.0.0.7', family: 4 }] })
    try {
      const strictAdmin = await strict.createAdminKey()
      const callStrict = api(strict.url)
      const made = await callStrict('POST', '/v1/projects', { key: strictAdmin, body: { name: 'Hooks', allowed_origins: ['https://shop.example'], webhook_url: 'https://hooks.example/in' } })
      expect(made.status).toBe(400)
      expect(made.body.error).toMatchObject({ code: 'invalid_webhook_url', param: 'webhook_url' })
      const ok = await callStrict('POST', '/v1/projects', { key: strictAdmin, body: { name: 'Hooks', allowed_origins: ['https://shop.example'] } })
      expect(ok.status).toBe(201)
      for (const url of ['http://127.0.0.1:9/hooks', 'http://169.254.169.254/latest/meta-data/', 'https://hooks.example/in']) {
        const res = await callStrict('PATCH', `/v1/projects/${ok.body.id}`, { key: strictAdmin, body: { webhook_url: url } })
        expect(res.status, url).toBe(400)
        expect(res.body.error.code, url).toBe('invalid_webhook_url')
      }
      expect((await callStrict('GET', `/v1/projects/${ok.body.id}`, { key: strictAdmin })).body.webhook_url).toBeNull()
    } finally {
      await strict.close()
    }
  })
})
