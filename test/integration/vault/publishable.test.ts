// Issue 12, as an attacker with only what a checkout page shows (the publishable key) and card
// numbers: a publishable-key answer reveals nothing stored, a publishable-key request changes no
// stored token, and the browser never names a customer or a token value itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { tableCounts, tokenRows } from '../../helpers/db.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject()))
afterAll(() => vault.close())

const year = new Date().getUTCFullYear() + 2
const SESSION = 'tessera-customer-session'

/** The only fields a publishable-key tokenize answer may hold. */
function expectBrowserAnswer(body: any, sent: { last4: string; exp_month: number; exp_year: number }): void {
  expect(Object.keys(body).sort()).toEqual(['card', 'object', 'status', 'token'])
  expect(Object.keys(body.card).sort()).toEqual(['bin', 'brand', 'exp_month', 'exp_year', 'last4'])
  expect(body).toMatchObject({ object: 'token', card: sent })
}

async function session(project: TestProjectKeys, body: Record<string, string>, mode: 'test' | 'live' = 'test'): Promise<string> {
  const res = await call('POST', '/v1/customer-sessions', { key: project[mode].secret_key, body })
  expect(res.status).toBe(201)
  return res.body.client_secret
}

/** Snapshot of everything a refused or read-only request must leave as it was. */
async function snapshot() {
  return { counts: await tableCounts(vault), tokens: await tokenRows(vault) }
}

describe('a publishable-key answer', () => {
  it('carries the token value, status and the card as sent, nothing more', async () => {
    const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: await encryptCard(vault.url, { number: '4314220000000056', exp_month: 5, exp_year: year, name: 'PAUL SMITH' }) } })
    expect(res.status).toBe(201)
    expectBrowserAnswer(res.body, { last4: '0056', exp_month: 5, exp_year: year })
    expect(res.body).toMatchObject({ status: 'active', card: { brand: 'visa', bin: '431422' } })
    expect(JSON.stringify(res.body)).not.toContain('PAUL SMITH')
    // The secret key still reads the whole token.
    const read = await call('GET', `/v1/tokens/${res.body.token}`, { key: keys.test.secret_key })
    expect(read.body).toMatchObject({ customer_id: null, card: { name: 'PAUL SMITH' }, verification: { strategy: 'basic', result: 'passed' } })
  })
})

describe('a repeat of a stored card from the browser (unique-account)', () => {
  let project: TestProjectKeys
  let stored: any
  const number = '5555555555554444'

  beforeAll(async () => {
    // `none` verification: the attack's far-past and far-future expiries would otherwise be refused before storing.
    project = await vault.createProject({ tokenManagement: 'unique-account', verification: 'none' })
    const res = await call('POST', '/v1/tokens', { key: project.test.secret_key, body: { card: await encryptCard(vault.url, { number, cvc: '321', exp_month: 5, exp_year: year, name: 'ADA LOVELACE' }), customer_id: 'cus_owner' } })
    expect(res.status).toBe(201)
    stored = res.body
  })

  it('answers 200 with the existing token and reveals no stored customer, name, fingerprint, dates or verification', async () => {
    const res = await call('POST', '/v1/tokens', { key: project.test.publishable_key, body: { card: await encryptCard(vault.url, { number, cvc: '321', exp_month: 5, exp_year: year, name: 'MALLORY' }) } })
    expect(res.status).toBe(200)
    expectBrowserAnswer(res.body, { last4: '4444', exp_month: 5, exp_year: year })
    expect(res.body.token).toBe(stored.token)
    for (const secret of ['cus_owner', 'ADA LOVELACE', stored.fingerprint, stored.created_at, stored.retain_until]) expect(JSON.stringify(res.body)).not.toContain(secret)
  })

  it('never overwrites the expiry or name: a past expiry does not expire the token, 12/9999 does not push retain_until', async () => {
    for (const [exp_month, exp_year] of [[1, 2020], [12, 9999]] as const) {
      const before = await snapshot()
      const res = await call('POST', '/v1/tokens', { key: project.test.publishable_key, body: { card: await encryptCard(vault.url, { number, cvc: '321', exp_month, exp_year, name: 'MALLORY' }) } })
      expect(res.status).toBe(200)
      expectBrowserAnswer(res.body, { last4: '4444', exp_month, exp_year })
      expect(res.body.status).toBe('active')
      const after = await snapshot()
      expect(after.tokens).toEqual(before.tokens)
      // No token.updated event, no audit entry: only the JWE's replay id is new.
      expect({ ...after.counts, seen_jtis: 0 }).toEqual({ ...before.counts, seen_jtis: 0 })
    }
    const read = await call('GET', `/v1/tokens/${stored.token}`, { key: project.test.secret_key })
    expect(read.body).toEqual(stored)
  })

  it("does not change it with a session of another customer, nor attach the card to that customer", async () => {
    const other = await session(project, { customer_id: 'cus_attacker' })
    const before = await tokenRows(vault)
    const res = await call('POST', '/v1/tokens', { key: project.test.publishable_key, headers: { [SESSION]: other }, body: { card: await encryptCard(vault.url, { number, cvc: '321', exp_month: 1, exp_year: 2020, name: 'MALLORY' }) } })
    expect(res.status).toBe(200)
    expect(res.body.token).toBe(stored.token)
    expect(await tokenRows(vault)).toEqual(before)
    const list = await call('GET', '/v1/customer-sessions/tokens', { key: project.test.publishable_key, headers: { [SESSION]: other } })
    expect(list.body.data).toEqual([])
  })

  it("applies the update as a secret key would with a session of the token's own customer", async () => {
    const own = await session(project, { customer_id: 'cus_owner' })
    const res = await call('POST', '/v1/tokens', { key: project.test.publishable_key, headers: { [SESSION]: own }, body: { card: await encryptCard(vault.url, { number, cvc: '321', exp_month: 9, exp_year: year + 1, name: 'ADA KING' }) } })
    expect(res.status).toBe(200)
    expectBrowserAnswer(res.body, { last4: '4444', exp_month: 9, exp_year: year + 1 })
    const read = await call('GET', `/v1/tokens/${stored.token}`, { key: project.test.secret_key })
    expect(read.body).toMatchObject({ customer_id: 'cus_owner', card: { exp_month: 9, exp_year: year + 1, name: 'ADA KING' } })
    expect(read.body.expires_at).toBe(new Date(Date.UTC(year + 1, 9, 1)).toISOString())
  })

  it('keeps the secret-key behaviour: a repeat with the secret key updates and answers the whole token', async () => {
    const res = await call('POST', '/v1/tokens', { key: project.test.secret_key, body: { card: await encryptCard(vault.url, { number, cvc: '321', exp_month: 5, exp_year: year, name: 'ADA LOVELACE' }) } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ token: stored.token, customer_id: 'cus_owner', card: { exp_month: 5, exp_year: year, name: 'ADA LOVELACE' }, fingerprint: stored.fingerprint })
  })
})

describe('a repeat of a stored card from the browser (deterministic)', () => {
  it('answers the same token and leaves the stored name as it was', async () => {
    const project = await vault.createProject({ tokenFormat: 'deterministic' })
    const card = { number: '4111111111111111', exp_month: 7, exp_year: year }
    const first = await call('POST', '/v1/tokens', { key: project.test.secret_key, body: { card: await encryptCard(vault.url, { ...card, name: 'GRACE HOPPER' }), customer_id: 'cus_grace' } })
    expect(first.status).toBe(201)
    const before = await tokenRows(vault)
    const repeat = await call('POST', '/v1/tokens', { key: project.test.publishable_key, body: { card: await encryptCard(vault.url, { ...card, name: 'MALLORY' }) } })
    expect(repeat.status).toBe(200)
    expect(repeat.body.token).toBe(first.body.token)
    expectBrowserAnswer(repeat.body, { last4: '1111', exp_month: 7, exp_year: year })
    expect(await tokenRows(vault)).toEqual(before)
  })
})

describe('the browser never names a customer or a token value', () => {
  it('answers 400 customer_session_required to customer_id, and stores nothing', async () => {
    const before = await snapshot()
    const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: await encryptCard(vault.url), customer_id: 'cus_victim' } })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'customer_session_required', param: 'customer_id' })
    expect(res.body.error.message).toContain('customer session')
    expect(await snapshot()).toEqual(before)
  })

  it('answers 403 secret_key_required to token, taken or not, so values cannot be probed or pre-registered', async () => {
    const project = await vault.createProject({ tokenFormat: 'merchant' })
    const taken = await call('POST', '/v1/tokens', { key: project.test.secret_key, body: { card: await encryptCard(vault.url), token: 'order-7' } })
    expect(taken.status).toBe(201)
    const before = await snapshot()
    const answers = []
    for (const token of ['order-7', 'order-8']) {
      const res = await call('POST', '/v1/tokens', { key: project.test.publishable_key, body: { card: await encryptCard(vault.url, { number: '4314220000000056' }), token } })
      answers.push({ status: res.status, error: res.body.error })
    }
    expect(answers[0]).toEqual(answers[1])
    expect(answers[0]).toMatchObject({ status: 403, error: { type: 'permission_error', code: 'secret_key_required', param: 'token' } })
    expect(await snapshot()).toEqual(before)
  })

  it('tokenizes for the customer and under the token value the session binds', async () => {
    const project = await vault.createProject({ tokenFormat: 'merchant' })
    const secret = await session(project, { customer_id: 'cus_ada', token: 'ada-card-1' })
    const res = await call('POST', '/v1/tokens', { key: project.test.publishable_key, headers: { [SESSION]: secret }, body: { card: await encryptCard(vault.url) } })
    expect(res.status).toBe(201)
    expect(res.body.token).toBe('ada-card-1')
    const read = await call('GET', '/v1/tokens/ada-card-1', { key: project.test.secret_key })
    expect(read.body).toMatchObject({ token: 'ada-card-1', customer_id: 'cus_ada' })
    const list = await call('GET', '/v1/customer-sessions/tokens', { key: project.test.publishable_key, headers: { [SESSION]: secret } })
    expect(list.body.data.map((c: any) => c.token)).toEqual(['ada-card-1'])
  })

  it('tells a browser on a merchant-format project without a session token to bind one', async () => {
    const project = await vault.createProject({ tokenFormat: 'merchant' })
    const before = await snapshot()
    const res = await call('POST', '/v1/tokens', { key: project.test.publishable_key, body: { card: await encryptCard(vault.url) } })
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ code: 'token_required', param: 'token' })
    expect(res.body.error.message).toContain('customer session')
    expect(await snapshot()).toEqual(before)
  })

  it('saves a new card for the session customer, and the secret key still names customers in the body', async () => {
    const secret = await session(keys, { customer_id: 'cus_new' })
    const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, headers: { [SESSION]: secret }, body: { card: await encryptCard(vault.url) } })
    expect(res.status).toBe(201)
    expect((await call('GET', `/v1/tokens/${res.body.token}`, { key: keys.test.secret_key })).body.customer_id).toBe('cus_new')
    // A secret key's request ignores the header: the server says what it means in the body.
    const server = await call('POST', '/v1/tokens', { key: keys.test.secret_key, headers: { [SESSION]: secret }, body: { card: await encryptCard(vault.url), customer_id: 'cus_server' } })
    expect(server.status).toBe(201)
    expect(server.body.customer_id).toBe('cus_server')
  })
})
