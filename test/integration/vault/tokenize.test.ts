import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject()))
afterAll(() => vault.close())

const year = new Date().getUTCFullYear() + 2

describe('POST /v1/tokens', () => {
  it('tokenizes a card with the publishable key, answering only the token, its status and the card as sent', async () => {
    const card = await encryptCard(vault.url, { number: '4314220000000056', exp_month: 5, exp_year: year, name: 'PAUL SMITH' })
    const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card } })
    expect(res.status).toBe(201)
    expect(res.headers.get('request-id')).toMatch(/^req_[0-9a-f]{24}$/)
    expect(res.body).toEqual({ object: 'token', token: res.body.token, status: 'active', card: { brand: 'visa', bin: '431422', last4: '0056', exp_month: 5, exp_year: year } })
    expect(res.body.token).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(res.body)).not.toContain('4314220000000056')
  })

  it('tokenizes with the secret key and answers the whole masked token object', async () => {
    const card = await encryptCard(vault.url, { number: '4314220000000056', exp_month: 5, exp_year: year, name: 'PAUL SMITH' })
    const res = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card, customer_id: 'c_1' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      object: 'token',
      status: 'active',
      mode: 'test',
      customer_id: 'c_1',
      card: { brand: 'visa', bin: '431422', last4: '0056', exp_month: 5, exp_year: year, name: 'PAUL SMITH' },
      verification: { strategy: 'basic', result: 'passed' },
      last_used_at: null,
    })
    expect(res.body.token).toMatch(/^[0-9a-f]{64}$/)
    expect(res.body.expires_at).toBe(new Date(Date.UTC(year, 5, 1)).toISOString())
    expect(res.body.retain_until).toBe(new Date(Date.UTC(year + 1, 7, 1)).toISOString())
    expect(JSON.stringify(res.body)).not.toContain('4314220000000056')
  })

  it('tokenizes with the secret key too, and the secret key reads the token back', async () => {
    const card = await encryptCard(vault.url, { number: '5555555555554444', cvc: '321' })
    const created = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card } })
    expect(created.status).toBe(201)
    const read = await call('GET', `/v1/tokens/${created.body.token}`, { key: keys.test.secret_key })
    expect(read.status).toBe(200)
    expect(read.body).toEqual(created.body)
    expect(read.body.card.brand).toBe('mastercard')
  })

  it('issues a new token for every tokenization of the same card under unique-token', async () => {
    const a = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) } })
    const b = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) } })
    expect([a.status, b.status]).toEqual([201, 201])
    expect(a.body.token).not.toBe(b.body.token)
    expect(a.body.fingerprint).toBe(b.body.fingerprint)
  })

  it('gives the same card different fingerprints in different projects', async () => {
    const other = await vault.createProject()
    const a = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url) } })
    const b = await call('POST', '/v1/tokens', { key: other.test.secret_key, body: { card: await encryptCard(vault.url) } })
    expect(a.body.fingerprint).not.toBe(b.body.fingerprint)
  })

  it('stores a card whose expiry month has ended as expired when verification is none', async () => {
    const lax = await vault.createProject({ verification: 'none' })
    const res = await call('POST', '/v1/tokens', { key: lax.test.secret_key, body: { card: await encryptCard(vault.url, { exp_month: 1, exp_year: 2020 }) } })
    expect(res.status).toBe(201)
    expect(res.body.status).toBe('expired')
    expect(res.body.verification).toEqual({ strategy: 'none', result: 'skipped' })
  })

  it('lets a secret key choose the verification strategy but not a publishable key', async () => {
    const card = await encryptCard(vault.url, { exp_month: 1, exp_year: 2020 })
    const denied = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card, verification: 'none' } })
    expect(denied.status).toBe(403)
    expect(denied.body.error).toMatchObject({ type: 'permission_error', code: 'verification_override_forbidden', param: 'verification' })
    const allowed = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card, verification: 'none' } })
    expect(allowed.status).toBe(201)
  })
})
