import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { tableCounts } from '../../helpers/db.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject()))
afterAll(() => vault.close())

describe('Idempotency-Key', () => {
  it('answers the first response again for the same key and body, creating one token', async () => {
    const body = { card: await encryptCard(vault.url), customer_id: 'c_idem' }
    const headers = { 'idempotency-key': 'order-1001' }
    const first = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body, headers })
    const before = await tableCounts(vault)
    const second = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body, headers })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.body).toEqual(first.body)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(await tableCounts(vault)).toEqual(before)
  })

  it('answers 409 for the same key with another body and changes nothing', async () => {
    const headers = { 'idempotency-key': 'order-1002' }
    await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) }, headers })
    const before = await tableCounts(vault)
    const other = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) }, headers })
    expect(other.status).toBe(409)
    expect(other.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_reused' })
    expect(await tableCounts(vault)).toEqual(before)
  })

  it('keeps no record of a failed request, so it can be retried with the same key', async () => {
    const headers = { 'idempotency-key': 'order-1003' }
    const stale = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url, { iat: 1 }) }, headers })
    expect(stale.status).toBe(400)
    const retried = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) }, headers })
    expect(retried.status).toBe(201)
  })

  it('scopes keys by project and mode', async () => {
    const other = await vault.createProject()
    const headers = { 'idempotency-key': 'shared-key' }
    const a = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) }, headers })
    const b = await call('POST', '/v1/tokens', { key: other.test.secret_key, body: { card: await encryptCard(vault.url) }, headers })
    expect([a.status, b.status]).toEqual([201, 201])
    expect(a.body.token).not.toBe(b.body.token)
  })

  it("scopes keys by the API key: a browser's key never answers or blocks the server's request", async () => {
    const headers = { 'idempotency-key': 'order-2001' }
    const browserBody = { card: await encryptCard(vault.url) }
    const browser = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: browserBody, headers })
    expect(browser.status).toBe(201)
    const server = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url, { number: '5555555555554444', cvc: '321' }) }, headers })
    expect(server.status).toBe(201)
    expect(server.headers.get('idempotent-replayed')).toBeNull()
    expect(server.body.token).not.toBe(browser.body.token)
    expect(server.body.card.last4).toBe('4444')
    // Each key keeps its own record: the browser's retry gets the browser's answer.
    const again = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: browserBody, headers })
    expect(again.body).toEqual(browser.body)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
  })

  it("lets a browser's key in flight (pending) block nothing of the server's", async () => {
    const headers = { 'idempotency-key': 'order-2002' }
    const db = vault.running.vault.store.db
    const pkRow = await db.selectFrom('api_keys').select('id').where('project_id', '=', keys.projectId).where('mode', '=', 'test').where('kind', '=', 'publishable').executeTakeFirstOrThrow()
    const now = new Date()
    await db.insertInto('idempotency_keys').values({ project_id: keys.projectId, mode: 'test', key_id: pkRow.id, key: 'order-2002', request_hash: 'x', state: 'pending', response_status: null, response_body: null, created_at: now.toISOString(), expires_at: new Date(now.getTime() + 60_000).toISOString() }).execute()
    const server = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) }, headers })
    expect(server.status).toBe(201)
  })

  it('works on other POSTs (revoke) and refuses a malformed key', async () => {
    const t = (await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) } })).body
    const headers = { 'idempotency-key': 'revoke-1' }
    const r1 = await call('POST', `/v1/tokens/${t.token}/revoke`, { key: keys.test.secret_key, headers })
    const r2 = await call('POST', `/v1/tokens/${t.token}/revoke`, { key: keys.test.secret_key, headers })
    expect(r2.body).toEqual(r1.body)
    expect(r2.headers.get('idempotent-replayed')).toBe('true')
    const bad = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: 'x' }, headers: { 'idempotency-key': 'x'.repeat(300) } })
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_idempotency_key'])
  })

  it('lets one of two concurrent requests with the same key run; the other replays or waits its turn', async () => {
    const body = { card: await encryptCard(vault.url) }
    const headers = { 'idempotency-key': 'race-1' }
    const results = await Promise.all([0, 1, 2, 3].map(() => call('POST', '/v1/tokens', { key: keys.test.secret_key, body, headers })))
    const created = results.filter((r) => r.status === 201)
    expect(created.length).toBeGreaterThanOrEqual(1)
    expect(new Set(created.map((r) => r.body.token)).size).toBe(1)
    for (const r of results.filter((r) => r.status !== 201)) expect(r.body.error.code).toBe('idempotency_in_progress')
  })
})
