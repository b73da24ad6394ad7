// A saved card's CVC on a customer-initiated payment by token (require_cvc_for_saved_cards):
// the real HTTP server, the sandbox acquirer as its own process, a real database. The sandbox
// declines CVC 999, which proves the CVC the frame encrypted reached the acquirer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encryptPayload } from '../../helpers/cards.js'
import type { TestProjectKeys } from '../../helpers/vault.js'
import { APPROVE, counts, startWorld, type World } from './support/world.js'

describe('saved cards with CVC', () => {
  let w: World
  let strict: TestProjectKeys
  let jtiSeq = 0
  const cvcJwe = (token: string, cvc: string, overrides: Record<string, unknown> = {}) =>
    encryptPayload(w.vault.url, { cvc, token, iat: Math.floor(Date.now() / 1000), jti: `cvc-${process.pid}-${++jtiSeq}`, ...overrides })
  const tokenIn = async (keys: TestProjectKeys, number = APPROVE) => (await w.tokenize(number, { key: keys.test.secret_key })).token as string
  const payIn = (keys: TestProjectKeys, body: Record<string, unknown>) => w.pay({ amount: 500, currency: 'EUR', ...body }, { key: keys.test.secret_key })

  beforeAll(async () => {
    w = await startWorld()
    strict = await w.vault.createProject({ requireCvcForSavedCards: true })
  })
  afterAll(async () => w?.close())

  it('passes the CVC to the acquirer: 123 approves, 999 is declined incorrect_cvc', async () => {
    const token = await tokenIn(strict)
    const ok = await payIn(strict, { token, initiator: 'customer', card_cvc: await cvcJwe(token, '123') })
    expect(ok.status, JSON.stringify(ok.body)).toBe(201)
    expect(ok.body).toMatchObject({ status: 'captured', token, initiator: 'customer' })
    const bad = await payIn(strict, { token, initiator: 'customer', card_cvc: await cvcJwe(token, '999') })
    expect(bad.status).toBe(402)
    expect(bad.body.error).toMatchObject({ code: 'card_declined', decline_code: 'incorrect_cvc' })
  })

  it('refuses a customer-initiated payment by token without the CVC (400 cvc_required), changing nothing', async () => {
    const token = await tokenIn(strict)
    const before = await counts(w.vault)
    const res = await payIn(strict, { token, initiator: 'customer' })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'cvc_required', param: 'card_cvc' })
    expect(await counts(w.vault)).toEqual(before)
  })

  it('needs no CVC on a merchant-initiated payment, and refuses one there', async () => {
    const token = await tokenIn(strict)
    const res = await payIn(strict, { token })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({ initiator: 'merchant' })
    const withCvc = await payIn(strict, { token, initiator: 'merchant', card_cvc: await cvcJwe(token, '123') })
    expect(withCvc.status).toBe(400)
    expect(withCvc.body.error).toMatchObject({ code: 'parameter_invalid', param: 'card_cvc' })
  })

  it('leaves projects without the setting as they were, and still honours a CVC sent there', async () => {
    const token = await tokenIn(w.keys)
    expect((await payIn(w.keys, { token, initiator: 'customer' })).status).toBe(201)
    const bad = await payIn(w.keys, { token, initiator: 'customer', card_cvc: await cvcJwe(token, '999') })
    expect(bad.status).toBe(402)
  })

  it('refuses a replayed, stale, foreign-token or malformed CVC JWE before the acquirer', async () => {
    const token = await tokenIn(strict)
    const other = await tokenIn(strict)
    const once = await cvcJwe(token, '123')
    expect((await payIn(strict, { token, initiator: 'customer', card_cvc: once })).status).toBe(201)
    const replay = await payIn(strict, { token, initiator: 'customer', card_cvc: once })
    expect(replay.status).toBe(400)
    expect(replay.body.error).toMatchObject({ code: 'replayed_card_encryption', param: 'card_cvc' })
    const before = await counts(w.vault)
    const stale = await payIn(strict, { token, initiator: 'customer', card_cvc: await cvcJwe(token, '123', { iat: Math.floor(Date.now() / 1000) - 3600 }) })
    expect(stale.body.error).toMatchObject({ code: 'expired_card_encryption', param: 'card_cvc' })
    const foreign = await payIn(strict, { token: other, initiator: 'customer', card_cvc: await cvcJwe(token, '123') })
    expect(foreign.body.error).toMatchObject({ code: 'parameter_invalid', param: 'card_cvc' })
    const shape = await payIn(strict, { token, initiator: 'customer', card_cvc: await cvcJwe(token, '12a') })
    expect(shape.body.error).toMatchObject({ code: 'invalid_card_payload', param: 'card_cvc.cvc' })
    expect(shape.body.error.message).not.toContain('12a')
    const withCard = await payIn(strict, { card: await w.card(APPROVE), card_cvc: await cvcJwe(token, '123') })
    expect(withCard.body.error).toMatchObject({ code: 'parameter_invalid', param: 'card_cvc' })
    expect(await counts(w.vault)).toEqual(before)
  })

  it('lists require_cvc with the customer session’s saved cards', async () => {
    const customer = 'cus_cvc_1'
    await w.tokenize(APPROVE, { key: strict.test.secret_key, customerId: customer })
    const session = await w.call('POST', '/v1/customer-sessions', { key: strict.test.secret_key, body: { customer_id: customer } })
    expect(session.status).toBe(201)
    const list = await w.call('GET', '/v1/customer-sessions/tokens', { key: strict.test.publishable_key, headers: { 'tessera-customer-session': session.body.client_secret } })
    expect(list.status).toBe(200)
    expect(list.body).toMatchObject({ require_cvc: true })
    expect(list.body.data).toHaveLength(1)
  })
})
