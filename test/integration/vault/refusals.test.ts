// Every refusal of POST /v1/tokens answers the documented error shape and stores nothing.
import crypto from 'node:crypto'
import { CompactEncrypt, generateKeyPair, exportJWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { cardFields, encryptCard, encryptPayload, fetchJwks, liveCardNumber } from '../../helpers/cards.js'
import { tableCounts } from '../../helpers/db.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject()))
afterAll(() => vault.close())

const now = () => Math.floor(Date.now() / 1000)

/** Flips one character in the JWE's authentication tag. */
function tamperTag(jwe: string): string {
  const parts = jwe.split('.')
  const tag = parts[4] as string
  parts[4] = (tag[0] === 'A' ? 'B' : 'A') + tag.slice(1)
  return parts.join('.')
}

function tamperCiphertext(jwe: string): string {
  const parts = jwe.split('.')
  const bytes = Buffer.from(parts[3] as string, 'base64url')
  bytes[0] = (bytes[0] as number) ^ 1
  parts[3] = bytes.toString('base64url')
  return parts.join('.')
}

interface Refusal {
  name: string
  card: () => Promise<string>
  status: number
  code: string
  param?: string
}

const refusals: Refusal[] = [
  { name: 'an alg other than ECDH-ES', card: () => encryptCard(vault.url, {}, { alg: 'ECDH-ES+A256KW' }), status: 400, code: 'invalid_card_encryption', param: 'card' },
  { name: 'an enc other than A256GCM', card: () => encryptCard(vault.url, {}, { enc: 'A128GCM' }), status: 400, code: 'invalid_card_encryption' },
  { name: 'an unknown kid', card: () => encryptCard(vault.url, {}, { kid: 'not-a-key' }), status: 400, code: 'invalid_card_encryption' },
  {
    name: 'a JWE made for another key under a known kid',
    card: async () => {
      const { publicKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true })
      const kid = (await fetchJwks(vault.url)).keys[0]?.kid as string
      return encryptCard(vault.url, {}, { jwk: { ...(await exportJWK(publicKey)), kid } })
    },
    status: 400,
    code: 'invalid_card_encryption',
  },
  { name: 'a broken tag', card: async () => tamperTag(await encryptCard(vault.url)), status: 400, code: 'invalid_card_encryption' },
  { name: 'tampered ciphertext', card: async () => tamperCiphertext(await encryptCard(vault.url)), status: 400, code: 'invalid_card_encryption' },
  { name: 'a truncated JWE', card: async () => (await encryptCard(vault.url)).slice(0, -10), status: 400, code: 'invalid_card_encryption' },
  { name: 'a string that is no JWE', card: async () => 'hello', status: 400, code: 'invalid_card_encryption' },
  { name: 'an iat older than five minutes', card: () => encryptCard(vault.url, { iat: now() - 301 }), status: 400, code: 'expired_card_encryption' },
  { name: 'an iat in the future', card: () => encryptCard(vault.url, { iat: now() + 3600 }), status: 400, code: 'premature_card_encryption' },
  { name: 'a payload with an unknown field', card: () => encryptCard(vault.url, { pin: '1234' }), status: 400, code: 'invalid_card_payload', param: 'card.pin' },
  { name: 'a number with letters', card: () => encryptCard(vault.url, { number: '4242x24242424242' }), status: 400, code: 'invalid_card_payload', param: 'card.number' },
  { name: 'a number too short', card: () => encryptCard(vault.url, { number: '42424242424' }), status: 400, code: 'invalid_card_payload', param: 'card.number' },
  { name: 'a month of 13', card: () => encryptCard(vault.url, { exp_month: 13 }), status: 400, code: 'invalid_card_payload', param: 'card.exp_month' },
  { name: 'a two-digit year', card: () => encryptCard(vault.url, { exp_year: 30 }), status: 400, code: 'invalid_card_payload', param: 'card.exp_year' },
  { name: 'a month as a string', card: () => encryptCard(vault.url, { exp_month: '12' as never }), status: 400, code: 'invalid_card_payload', param: 'card.exp_month' },
  { name: 'a five-digit CVC', card: () => encryptCard(vault.url, { cvc: '12345' }), status: 400, code: 'invalid_card_payload', param: 'card.cvc' },
  { name: 'a name over 64 characters', card: () => encryptCard(vault.url, { name: 'A'.repeat(65) }), status: 400, code: 'invalid_card_payload', param: 'card.name' },
  { name: 'a jti over 64 characters', card: () => encryptCard(vault.url, { jti: 'j'.repeat(65) }), status: 400, code: 'invalid_card_payload', param: 'card.jti' },
  { name: 'a missing jti', card: () => encryptPayload(vault.url, { ...cardFields(), jti: undefined }), status: 400, code: 'invalid_card_payload', param: 'card.jti' },
  { name: 'a plaintext that is not JSON', card: () => encryptPayload(vault.url, 'not json'), status: 400, code: 'invalid_card_payload' },
  { name: 'a card that is not a test card in test mode', card: () => encryptCard(vault.url, { number: liveCardNumber() }), status: 422, code: 'test_card_required' },
  { name: 'a CVC of the wrong length for the brand', card: () => encryptCard(vault.url, { number: '378282246310005', cvc: '123' }), status: 422, code: 'invalid_cvc', param: 'card.cvc' },
  { name: 'an expired card', card: () => encryptCard(vault.url, { exp_month: 1, exp_year: 2021 }), status: 422, code: 'expired_card' },
]

describe('POST /v1/tokens refuses', () => {
  for (const r of refusals) {
    it(`${r.name} with ${r.status} ${r.code} and stores nothing`, async () => {
      const before = await tableCounts(vault)
      const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: await r.card() } })
      expect(res.status).toBe(r.status)
      expect(res.body.error.code).toBe(r.code)
      expect(res.body.error.type).toBe(r.status === 422 ? 'card_error' : 'invalid_request_error')
      expect(typeof res.body.error.message).toBe('string')
      if (r.param) expect(res.body.error.param).toBe(r.param)
      expect(await tableCounts(vault)).toEqual(before)
    })
  }

  it('gives every JWE failure the same message, so the vault is no decryption oracle', async () => {
    const messages = new Set<string>()
    for (const make of [() => encryptCard(vault.url, {}, { kid: 'x' }), async () => tamperTag(await encryptCard(vault.url)), async () => 'a.b.c.d.e']) {
      const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: await make() } })
      messages.add(JSON.stringify(res.body.error))
    }
    expect(messages.size).toBe(1)
  })

  it('refuses a replayed JWE (the same jti) after it was accepted once', async () => {
    const card = await encryptCard(vault.url)
    const first = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card } })
    expect(first.status).toBe(201)
    const before = await tableCounts(vault)
    const again = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card } })
    expect(again.status).toBe(400)
    expect(again.body.error.code).toBe('replayed_card_encryption')
    expect(await tableCounts(vault)).toEqual(before)
    const fresh = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: await encryptCard(vault.url) } })
    expect(fresh.status).toBe(201)
  })

  it('refuses a replay racing the first use: exactly one of two concurrent requests wins', async () => {
    const card = await encryptCard(vault.url)
    const results = await Promise.all([0, 1, 2].map(() => call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card } })))
    expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400])
  })

  it('refuses a body over 16 KB with 413', async () => {
    const before = await tableCounts(vault)
    const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: 'x'.repeat(17 * 1024) } })
    expect(res.status).toBe(413)
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'body_too_large' })
    expect(await tableCounts(vault)).toEqual(before)
  })

  it('refuses a content type other than JSON with 415', async () => {
    const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, rawBody: 'card=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(res.status).toBe(415)
    expect(res.body.error.code).toBe('unsupported_media_type')
  })

  it('refuses broken JSON, a JSON array and unknown or missing fields with 400', async () => {
    const broken = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, rawBody: '{"card":', headers: { 'content-type': 'application/json' } })
    expect([broken.status, broken.body.error.code]).toEqual([400, 'invalid_json'])
    const array = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: [1] })
    expect([array.status, array.body.error.code]).toEqual([400, 'invalid_json'])
    const unknown = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: 'x', pan: '4242424242424242' } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toMatchObject({ code: 'parameter_unknown', param: 'pan' })
    expect(JSON.stringify(unknown.body)).not.toContain('4242424242424242')
    const missing = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: {} })
    expect(missing.body.error).toMatchObject({ code: 'parameter_missing', param: 'card' })
    const cardLikeCustomer = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: 'x', customer_id: '4242424242424242' } })
    expect(cardLikeCustomer.body.error).toMatchObject({ code: 'parameter_invalid', param: 'customer_id' })
  })

  it('answers 401 without a key or with an unknown key, 403 for a page on another origin', async () => {
    const card = await encryptCard(vault.url)
    expect((await call('POST', '/v1/tokens', { body: { card } })).status).toBe(401)
    const unknown = await call('POST', '/v1/tokens', { key: 'pk_test_' + 'A'.repeat(32), body: { card } })
    expect(unknown.status).toBe(401)
    expect(unknown.body.error.type).toBe('authentication_error')
    const foreign = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card }, headers: { origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    expect(foreign.body.error.code).toBe('origin_not_allowed')
    const frame = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card }, headers: { origin: vault.origin } })
    expect(frame.status).toBe(201)
  })

  it('answers unknown paths with 404 and known paths with another method with 405, in the error shape', async () => {
    const missing = await call('GET', '/v1/nothing')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('route_not_found')
    const method = await call('PUT', '/v1/tokens')
    expect(method.status).toBe(405)
    expect(method.body.error.code).toBe('method_not_allowed')
    expect(method.headers.get('request-id')).toMatch(/^req_/)
  })

  it('keeps serving after all of the above', async () => {
    const res = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: await encryptCard(vault.url, { number: crypto.randomInt(2) ? '4242424242424242' : '4111111111111111' }) } })
    expect(res.status).toBe(201)
  })
})
