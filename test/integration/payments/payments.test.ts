// POST /v1/payments by token and by card (with save_card), the payment object, declines stored
// and answered 402, the sandbox's outcomes reached through the vault, and input checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPROVE, counts, eventsOf, startWorld, year, type World } from './support/world.js'

let w: World
beforeAll(async () => {
  w = await startWorld()
})
afterAll(() => w?.close())

const PAYMENT_KEYS = ['object', 'id', 'status', 'amount', 'amount_captured', 'amount_refunded', 'currency', 'token', 'initiator', 'acquirer_reference', 'created_at']

describe('paying with a token', () => {
  it('captures at once by default, merchant-initiated, and answers 201 with the payment object', async () => {
    const token = await w.tokenize('4242424242424242')
    const res = await w.pay({ token: token.token, amount: 1250, currency: 'EUR' })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(PAYMENT_KEYS)
    expect(res.body).toMatchObject({ object: 'payment', status: 'captured', amount: 1250, amount_captured: 1250, amount_refunded: 0, currency: 'EUR', token: token.token, initiator: 'merchant' })
    expect(res.body.id).toMatch(/^pay_[0-9a-f]{24}$/)
    expect(res.body.acquirer_reference).toMatch(/^auth_/)
    const read = await w.call('GET', `/v1/payments/${res.body.id}`, { key: w.sk() })
    expect(read.status).toBe(200)
    expect(read.body).toEqual(res.body)
  })

  it('only authorizes with capture: false, and takes initiator customer for one-click', async () => {
    const token = await w.tokenize(APPROVE)
    const res = await w.pay({ token: token.token, amount: 900, currency: 'USD', capture: false, initiator: 'customer' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ status: 'authorized', amount: 900, amount_captured: 0, initiator: 'customer' })
  })

  it('marks the token as used and moves its retention on', async () => {
    const token = await w.tokenize('5555555555554444')
    expect(token.last_used_at).toBeNull()
    const before = Date.now()
    expect((await w.pay({ token: token.token, amount: 100, currency: 'GBP' })).status).toBe(201)
    const after = (await w.call('GET', `/v1/tokens/${token.token}`, { key: w.sk() })).body
    expect(new Date(after.last_used_at).getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(after.updated_at).toBe(token.updated_at)
    // Retention runs from the later of expiry and last use: expiry is later here, so it holds.
    expect(after.retain_until).toBe(token.retain_until)
  })

  it('records payment.captured and payment.authorized events with the payment object', async () => {
    const token = await w.tokenize(APPROVE)
    const sale = (await w.pay({ token: token.token, amount: 4321, currency: 'EUR' })).body
    const auth = (await w.pay({ token: token.token, amount: 1234, currency: 'EUR', capture: false })).body
    expect((await eventsOf(w, 'payment.captured')).find((e) => e.data.object.id === sale.id)?.data.object).toEqual(sale)
    expect((await eventsOf(w, 'payment.authorized')).find((e) => e.data.object.id === auth.id)?.data.object).toEqual(auth)
  })

  it('does not find another project’s payment, nor a made-up id', async () => {
    const token = await w.tokenize(APPROVE)
    const paid = (await w.pay({ token: token.token, amount: 100, currency: 'EUR' })).body
    const other = await w.vault.createProject()
    expect((await w.call('GET', `/v1/payments/${paid.id}`, { key: other.test.secret_key })).status).toBe(404)
    expect((await w.call('GET', `/v1/payments/${paid.id}`, { key: w.keys.live.secret_key })).status).toBe(404)
    const missing = await w.call('GET', '/v1/payments/pay_000000000000000000000000', { key: w.sk() })
    expect(missing.status).toBe(404)
    expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'payment_not_found' })
    expect((await w.call('GET', '/v1/payments/whatever', { key: w.sk() })).status).toBe(404)
  })

  it('needs a secret key', async () => {
    const token = await w.tokenize(APPROVE)
    const res = await w.pay({ token: token.token, amount: 100, currency: 'EUR' }, { key: w.keys.test.publishable_key })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('secret_key_required')
  })
})

describe('paying with a card', () => {
  it('pays customer-initiated with the CVC and stores no token without save_card', async () => {
    const before = await counts(w.vault)
    const res = await w.pay({ card: await w.card('4242424242424242'), amount: 500, currency: 'EUR' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ status: 'captured', token: null, initiator: 'customer' })
    const after = await counts(w.vault)
    expect(after.tokens).toBe(before.tokens)
    expect(after.payments).toBe(before.payments + 1)
  })

  it('saves the card when the payment is approved (tokenization during payment), verified by the authorization', async () => {
    const res = await w.pay({ card: await w.card('4314220000000056', { name: 'PAUL SMITH' }), save_card: true, customer_id: 'cust_pay', amount: 2500, currency: 'EUR' })
    expect(res.status).toBe(201)
    expect(res.body.token).toMatch(/^[0-9a-f]{64}$/)
    const token = (await w.call('GET', `/v1/tokens/${res.body.token}`, { key: w.sk() })).body
    expect(token).toMatchObject({
      status: 'active',
      customer_id: 'cust_pay',
      card: { brand: 'visa', last4: '0056', exp_month: 6, exp_year: year, name: 'PAUL SMITH' },
      verification: { strategy: 'acquirer', result: 'passed' },
    })
    expect(token.last_used_at).not.toBeNull()
    const saved = (await w.call('GET', '/v1/customers/cust_pay/tokens', { key: w.sk() })).body.data
    expect(saved.map((t: { token: string }) => t.token)).toContain(res.body.token)
    const created = (await eventsOf(w, 'token.created')).find((e) => e.data.object.token === res.body.token)
    expect(created).toBeDefined()
    // The saved token pays again, merchant-initiated.
    expect((await w.pay({ token: res.body.token, amount: 700, currency: 'EUR' })).body).toMatchObject({ status: 'captured', initiator: 'merchant' })
  })

  it('saves nothing when the payment is declined, but records the declined payment', async () => {
    const before = await counts(w.vault)
    const res = await w.pay({ card: await w.card('4000000000009995'), save_card: true, amount: 2500, currency: 'EUR' })
    expect(res.status).toBe(402)
    const after = await counts(w.vault)
    expect(after.tokens).toBe(before.tokens)
    expect(after.payments).toBe(before.payments + 1)
  })

  it('refuses a replayed card JWE and charges nothing for it', async () => {
    const card = await w.card(APPROVE)
    expect((await w.pay({ card, amount: 100, currency: 'EUR' })).status).toBe(201)
    const before = await counts(w.vault)
    const replay = await w.pay({ card, amount: 100, currency: 'EUR' })
    expect(replay.status).toBe(400)
    expect(replay.body.error).toMatchObject({ code: 'replayed_card_encryption', param: 'card' })
    expect(await counts(w.vault)).toEqual(before)
  })

  it('charges once when the same JWE is sent twice at the same moment', async () => {
    const card = await w.card(APPROVE)
    const before = await counts(w.vault)
    const [a, b] = await Promise.all([w.pay({ card, amount: 300, currency: 'EUR' }), w.pay({ card, amount: 300, currency: 'EUR' })])
    expect([a.status, b.status].sort()).toEqual([201, 400])
    expect([a, b].find((r) => r.status === 400)?.body.error.code).toBe('replayed_card_encryption')
    expect((await counts(w.vault)).payments).toBe(before.payments + 1)
  })

  it('refuses a JWE already used to tokenize, and a payment JWE cannot tokenize', async () => {
    const card = await w.card(APPROVE)
    expect((await w.call('POST', '/v1/tokens', { key: w.sk(), body: { card } })).status).toBe(201)
    expect((await w.pay({ card, amount: 100, currency: 'EUR' })).body.error.code).toBe('replayed_card_encryption')
    const paid = await w.card(APPROVE)
    expect((await w.pay({ card: paid, amount: 100, currency: 'EUR' })).status).toBe(201)
    expect((await w.call('POST', '/v1/tokens', { key: w.sk(), body: { card: paid } })).body.error.code).toBe('replayed_card_encryption')
  })

  it('runs the basic checks before the acquirer: an ended expiry is a 422 and stores nothing', async () => {
    const before = await counts(w.vault)
    const res = await w.pay({ card: await w.card(APPROVE, { exp_month: 1, exp_year: 2020 }), amount: 100, currency: 'EUR' })
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ type: 'card_error', code: 'expired_card' })
    expect(await counts(w.vault)).toEqual(before)
  })

  it('accepts only test cards in test mode and refuses them in live mode', async () => {
    const real = await w.pay({ card: await w.card('4000056655665564'), amount: 100, currency: 'EUR' })
    expect(real.status).toBe(422)
    expect(real.body.error.code).toBe('test_card_required')
    const live = await w.pay({ card: await w.card(APPROVE), amount: 100, currency: 'EUR' }, { key: w.keys.live.secret_key })
    expect(live.status).toBe(422)
    expect(live.body.error.code).toBe('live_card_required')
  })

  it('refuses save_card before charging when the project could not store the card', async () => {
    const strict = await w.vault.createProject({ tokenManagement: 'unique-account', onDuplicate: 'error' })
    const first = await w.pay({ card: await w.card(APPROVE), save_card: true, amount: 100, currency: 'EUR' }, { key: strict.test.secret_key })
    expect(first.status).toBe(201)
    const before = await counts(w.vault)
    const again = await w.pay({ card: await w.card(APPROVE), save_card: true, amount: 100, currency: 'EUR' }, { key: strict.test.secret_key })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('duplicate_account')
    expect(await counts(w.vault)).toEqual(before)
    const merchantTokens = await w.vault.createProject({ tokenFormat: 'merchant' })
    const unsavable = await w.pay({ card: await w.card(APPROVE), save_card: true, amount: 100, currency: 'EUR' }, { key: merchantTokens.test.secret_key })
    expect(unsavable.status).toBe(422)
    expect(unsavable.body.error).toMatchObject({ code: 'token_required', param: 'save_card' })
  })

  it('returns the card’s existing token under unique-account with on_duplicate return', async () => {
    const project = await w.vault.createProject({ tokenManagement: 'unique-account', onDuplicate: 'return' })
    const token = await w.tokenize('6011111111111117', { key: project.test.secret_key })
    const res = await w.pay({ card: await w.card('6011111111111117'), save_card: true, amount: 100, currency: 'EUR' }, { key: project.test.secret_key })
    expect(res.status).toBe(201)
    expect(res.body.token).toBe(token.token)
  })
})

describe('declines', () => {
  it('stores the declined payment and answers 402 card_error with its decline code and the payment id', async () => {
    const token = await w.tokenize('4000000000000002')
    const res = await w.pay({ token: token.token, amount: 1000, currency: 'EUR' })
    expect(res.status).toBe(402)
    expect(res.body.error).toEqual({ type: 'card_error', code: 'card_declined', message: 'The card was declined.', decline_code: 'do_not_honor', payment: expect.stringMatching(/^pay_/) })
    const stored = await w.call('GET', `/v1/payments/${res.body.error.payment}`, { key: w.sk() })
    expect(stored.body).toMatchObject({ status: 'declined', amount: 1000, amount_captured: 0, decline_code: 'do_not_honor', token: token.token })
    expect(stored.body.acquirer_reference).toMatch(/^auth_/)
    expect(Object.keys(stored.body)).toEqual([...PAYMENT_KEYS.slice(0, 9), 'decline_code', ...PAYMENT_KEYS.slice(9)])
    const event = (await eventsOf(w, 'payment.declined')).find((e) => e.data.object.id === stored.body.id)
    expect(event?.data.object).toEqual(stored.body)
    // A decline is not a use of the token.
    expect((await w.call('GET', `/v1/tokens/${token.token}`, { key: w.sk() })).body.last_used_at).toBeNull()
  })

  it('answers a retried decline under the same Idempotency-Key with the same payment, without a second attempt', async () => {
    const token = await w.tokenize('4000000000009995')
    const first = await w.pay({ token: token.token, amount: 1000, currency: 'EUR' }, { idempotencyKey: 'decline-retry-1' })
    const before = await counts(w.vault)
    const again = await w.pay({ token: token.token, amount: 1000, currency: 'EUR' }, { idempotencyKey: 'decline-retry-1' })
    expect(again.status).toBe(402)
    expect(again.body).toEqual(first.body)
    expect(await counts(w.vault)).toEqual(before)
    const other = await w.pay({ token: token.token, amount: 1001, currency: 'EUR' }, { idempotencyKey: 'decline-retry-1' })
    expect(other.status).toBe(409)
    expect(other.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_reused' })
  })

  it('keeps a decline in the one idempotency record every POST uses: the retry is a replay, marked as one', async () => {
    const token = await w.tokenize('4000000000009995')
    const first = await w.pay({ token: token.token, amount: 1200, currency: 'EUR' }, { idempotencyKey: 'decline-kept-1' })
    expect(first.status).toBe(402)
    const kept = await w.vault.running.vault.store.db.selectFrom('idempotency_keys').selectAll().where('key', '=', 'decline-kept-1').executeTakeFirstOrThrow()
    expect([kept.state, kept.response_status]).toEqual(['done', 402])
    const again = await w.pay({ token: token.token, amount: 1200, currency: 'EUR' }, { idempotencyKey: 'decline-kept-1' })
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([402, 'true'])
    expect(again.body).toEqual(first.body)
  })
})

describe('input checks', () => {
  const bad: [string, Record<string, unknown>, string, string?][] = [
    ['no token or card', { amount: 100, currency: 'EUR' }, 'parameter_missing', 'token'],
    ['both token and card', { token: 'tok', card: 'x.y.z', amount: 100, currency: 'EUR' }, 'parameter_invalid', 'card'],
    ['save_card with a token', { token: 'tok', save_card: true, amount: 100, currency: 'EUR' }, 'parameter_invalid', 'save_card'],
    ['customer_id without save_card', { card: 'x.y.z', customer_id: 'c_1', amount: 100, currency: 'EUR' }, 'parameter_invalid', 'customer_id'],
    ['a zero amount', { token: 'tok', amount: 0, currency: 'EUR' }, 'parameter_invalid', 'amount'],
    ['a fractional amount', { token: 'tok', amount: 10.5, currency: 'EUR' }, 'parameter_invalid', 'amount'],
    ['an amount as a string', { token: 'tok', amount: '100', currency: 'EUR' }, 'parameter_invalid', 'amount'],
    ['an amount too large', { token: 'tok', amount: 100_000_000_000, currency: 'EUR' }, 'parameter_invalid', 'amount'],
    ['a missing amount', { token: 'tok', currency: 'EUR' }, 'parameter_missing', 'amount'],
    ['a lower-case currency', { token: 'tok', amount: 100, currency: 'eur' }, 'parameter_invalid', 'currency'],
    ['a currency that does not exist', { token: 'tok', amount: 100, currency: 'XYZ' }, 'parameter_invalid', 'currency'],
    ['an unknown initiator', { token: 'tok', amount: 100, currency: 'EUR', initiator: 'robot' }, 'parameter_invalid', 'initiator'],
    ['a cvc outside the JWE', { token: 'tok', amount: 100, currency: 'EUR', cvc: '123' }, 'parameter_unknown', 'cvc'],
    ['capture as a string', { token: 'tok', amount: 100, currency: 'EUR', capture: 'yes' }, 'parameter_invalid', 'capture'],
  ]
  it.each(bad)('refuses %s with 400 and stores nothing', async (_name, body, code, param) => {
    const before = await counts(w.vault)
    const res = await w.pay(body)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code, ...(param ? { param } : {}) })
    expect(await counts(w.vault)).toEqual(before)
  })

  it('answers an unknown token with 404 and other methods with 405', async () => {
    const res = await w.pay({ token: 'no_such_token', amount: 100, currency: 'EUR' })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('token_not_found')
    expect((await w.call('PUT', '/v1/payments', { key: w.sk() })).status).toBe(405)
    expect((await w.call('DELETE', '/v1/payments/pay_000000000000000000000000', { key: w.sk() })).status).toBe(405)
    expect((await w.call('GET', '/v1/payments/pay_000000000000000000000000/capture', { key: w.sk() })).status).toBe(405)
  })
})
