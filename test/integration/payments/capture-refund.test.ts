// Capture (once, partial allowed, up to the authorized amount) and refund (many, together up to
// the captured amount), with the bounds checked by the vault; payouts; token verification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPROVE, counts, eventsOf, startWorld, type World } from './support/world.js'

let w: World
let token: string
beforeAll(async () => {
  w = await startWorld()
  token = (await w.tokenize(APPROVE)).token
})
afterAll(() => w?.close())

const authorize = async (amount = 10_000) => {
  const res = await w.pay({ token, amount, currency: 'EUR', capture: false })
  expect(res.status).toBe(201)
  return res.body
}
const capture = (id: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) => w.call('POST', `/v1/payments/${id}/capture`, { key: w.sk(), body, headers })
const refund = (id: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) => w.call('POST', `/v1/payments/${id}/refund`, { key: w.sk(), body, headers })

describe('capture', () => {
  it('captures all that was authorized by default, with 200 and a payment.captured event', async () => {
    const payment = await authorize(10_000)
    const res = await capture(payment.id)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ...payment, status: 'captured', amount_captured: 10_000 })
    expect((await eventsOf(w, 'payment.captured')).find((e) => e.data.object.id === payment.id)?.data.object).toEqual(res.body)
    expect((await w.call('GET', `/v1/payments/${payment.id}`, { key: w.sk() })).body).toEqual(res.body)
  })

  it('captures part of it once; the rest is released and a second capture is refused', async () => {
    const payment = await authorize(10_000)
    expect((await capture(payment.id, { amount: 6_000 })).body).toMatchObject({ status: 'captured', amount: 10_000, amount_captured: 6_000 })
    const again = await capture(payment.id, { amount: 1_000 })
    expect(again.status).toBe(409)
    expect(again.body.error).toMatchObject({ type: 'invalid_request_error', code: 'payment_not_capturable' })
  })

  it('refuses more than the authorized amount, and changes nothing', async () => {
    const payment = await authorize(10_000)
    const before = await counts(w.vault)
    const res = await capture(payment.id, { amount: 10_001 })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'amount_too_large', param: 'amount' })
    expect(await counts(w.vault)).toEqual(before)
    expect((await capture(payment.id, { amount: 10_000 })).status).toBe(200)
  })

  it.each([[0], [-5], [1.5], ['100']])('refuses the amount %s', async (amount) => {
    const payment = await authorize()
    const res = await capture(payment.id, { amount })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'parameter_invalid', param: 'amount' })
  })

  it('refuses to capture a sale or a declined payment', async () => {
    const sale = (await w.pay({ token, amount: 500, currency: 'EUR' })).body
    expect((await capture(sale.id)).body.error.code).toBe('payment_not_capturable')
    const declined = (await w.pay({ token, amount: 200051, currency: 'EUR', capture: false })).body.error.payment
    const res = await capture(declined)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('payment_not_capturable')
  })

  it('answers a retried capture under the same Idempotency-Key with the same result', async () => {
    const payment = await authorize(3_000)
    const first = await capture(payment.id, { amount: 2_000 }, { 'idempotency-key': `cap-${payment.id}` })
    const again = await capture(payment.id, { amount: 2_000 }, { 'idempotency-key': `cap-${payment.id}` })
    expect(again.status).toBe(200)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body).toEqual(first.body)
  })

  it('does not find a payout, an unknown id or another project’s payment', async () => {
    const payout = (await w.call('POST', '/v1/payouts', { key: w.sk(), body: { token, amount: 100, currency: 'EUR' } })).body
    expect((await capture(payout.id)).status).toBe(404)
    expect((await capture('pay_000000000000000000000000')).body.error.code).toBe('payment_not_found')
    const payment = await authorize()
    const other = await w.vault.createProject()
    expect((await w.call('POST', `/v1/payments/${payment.id}/capture`, { key: other.test.secret_key, body: {} })).status).toBe(404)
  })
})

describe('refund', () => {
  it('refunds in parts up to the captured amount: partially_refunded, then refunded', async () => {
    const sale = (await w.pay({ token, amount: 10_000, currency: 'EUR' })).body
    const first = await refund(sale.id, { amount: 2_500 })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ status: 'partially_refunded', amount_captured: 10_000, amount_refunded: 2_500 })
    const over = await refund(sale.id, { amount: 7_501 })
    expect(over.status).toBe(400)
    expect(over.body.error).toMatchObject({ code: 'amount_too_large', param: 'amount' })
    const rest = await refund(sale.id)
    expect(rest.body).toMatchObject({ status: 'refunded', amount_refunded: 10_000 })
    const more = await refund(sale.id, { amount: 1 })
    expect(more.status).toBe(409)
    expect(more.body.error.code).toBe('payment_not_refundable')
    const refunds = (await eventsOf(w, 'payment.refunded')).filter((e) => e.data.object.id === sale.id)
    expect(refunds.map((e) => e.data.object.status).sort()).toEqual(['partially_refunded', 'refunded'])
  })

  it('refunds only what a partial capture took', async () => {
    const payment = await authorize(10_000)
    await capture(payment.id, { amount: 4_000 })
    expect((await refund(payment.id, { amount: 4_001 })).body.error.code).toBe('amount_too_large')
    expect((await refund(payment.id)).body).toMatchObject({ status: 'refunded', amount_captured: 4_000, amount_refunded: 4_000 })
  })

  it('refuses a refund before capture and of a declined payment', async () => {
    const payment = await authorize()
    const early = await refund(payment.id, { amount: 100 })
    expect(early.status).toBe(409)
    expect(early.body.error.code).toBe('payment_not_refundable')
    const declined = (await w.pay({ token, amount: 200005, currency: 'EUR' })).body.error.payment
    expect((await refund(declined)).body.error.code).toBe('payment_not_refundable')
  })
})

describe('payouts', () => {
  it('pays out to the card behind a token: 201 payout object, payout.paid, readable back', async () => {
    const before = Date.now()
    const res = await w.call('POST', '/v1/payouts', { key: w.sk(), body: { token, amount: 2_500, currency: 'RON' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ object: 'payout', status: 'paid', amount: 2_500, amount_captured: 2_500, amount_refunded: 0, currency: 'RON', token, initiator: 'merchant' })
    expect(res.body.id).toMatch(/^po_[0-9a-f]{24}$/)
    expect(res.body.acquirer_reference).toMatch(/^po_/)
    expect((await w.call('GET', `/v1/payouts/${res.body.id}`, { key: w.sk() })).body).toEqual(res.body)
    expect((await w.call('GET', `/v1/payments/${res.body.id}`, { key: w.sk() })).status).toBe(404)
    expect((await eventsOf(w, 'payout.paid')).find((e) => e.data.object.id === res.body.id)?.data.object).toEqual(res.body)
    const used = (await w.call('GET', `/v1/tokens/${token}`, { key: w.sk() })).body.last_used_at
    expect(new Date(used).getTime()).toBeGreaterThanOrEqual(before - 1000)
  })

  it('records a declined payout and answers 402 with its id', async () => {
    const res = await w.call('POST', '/v1/payouts', { key: w.sk(), body: { token, amount: 200051, currency: 'EUR' } })
    expect(res.status).toBe(402)
    expect(res.body.error).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds', payout: expect.stringMatching(/^po_/) })
    expect((await w.call('GET', `/v1/payouts/${res.body.error.payout}`, { key: w.sk() })).body).toMatchObject({ object: 'payout', status: 'declined', decline_code: 'insufficient_funds', amount_captured: 0 })
  })

  it.each([
    [{ amount: 100, currency: 'EUR' }, 'parameter_missing', 'token'],
    [{ token: 'x', amount: 100, currency: 'EUR', card: 'a.b.c' }, 'parameter_unknown', 'card'],
    [{ token: 'x', amount: 0, currency: 'EUR' }, 'parameter_invalid', 'amount'],
    [{ token: 'x', amount: 100, currency: 'ABC' }, 'parameter_invalid', 'currency'],
  ])('refuses %j', async (body, code, param) => {
    const res = await w.call('POST', '/v1/payouts', { key: w.sk(), body })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code, param })
  })
})

describe('POST /v1/tokens/:token/verify', () => {
  it('verifies the stored card at the acquirer and records it on the token with token.updated', async () => {
    const fresh = await w.tokenize('4111111111111111')
    expect(fresh.verification).toEqual({ strategy: 'basic', result: 'passed' })
    const res = await w.call('POST', `/v1/tokens/${fresh.token}/verify`, { key: w.sk() })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ object: 'token', token: fresh.token, status: 'active', verification: { strategy: 'acquirer', result: 'passed' } })
    expect(res.body.last_used_at).not.toBeNull()
    expect((await eventsOf(w, 'token.updated')).find((e) => e.data.object.token === fresh.token)?.data.object).toEqual(res.body)
  })

  it('answers a decline with 402 and leaves the token as it was', async () => {
    const fresh = await w.tokenize('4000000000000002')
    const before = await counts(w.vault)
    const res = await w.call('POST', `/v1/tokens/${fresh.token}/verify`, { key: w.sk() })
    expect(res.status).toBe(402)
    expect(res.body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'do_not_honor' })
    // Only the use of the card is recorded: one token.verification_declined audit event.
    expect(await counts(w.vault)).toEqual({ ...before, audit_log: before.audit_log + 1 })
    expect((await w.call('GET', `/v1/tokens/${fresh.token}`, { key: w.sk() })).body).toEqual(fresh)
  })

  it('needs a secret key and an existing token', async () => {
    expect((await w.call('POST', `/v1/tokens/${token}/verify`, { key: w.keys.test.publishable_key })).status).toBe(403)
    expect((await w.call('POST', '/v1/tokens/nope/verify', { key: w.sk() })).status).toBe(404)
    expect((await w.call('GET', `/v1/tokens/${token}/verify`, { key: w.sk() })).status).toBe(405)
  })
})
