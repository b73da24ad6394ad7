// The acquirer killed mid-request or gone: clean 502s, nothing half-written, JWEs free to retry.
// And the crash window: a vault that dies after the acquirer answered and before its commit is
// healed by retrying under the same Idempotency-Key, which the acquirer replays (no second charge).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UNKNOWN_PAYOUT_MESSAGES } from '../../../backend/payments/payout-outcome.js'
import { APPROVE, counts, startWorld, type World } from './support/world.js'

describe('the acquirer killed mid-request', () => {
  let w: World
  beforeAll(async () => {
    // A long client timeout: the kill, not the timeout, must end the held requests.
    w = await startWorld({ acquirerTimeoutMs: 10_000 })
  })
  afterAll(() => w?.close())

  it('gives clean 502s for every held request, writes nothing, and 502s while it stays down', async () => {
    const token = (await w.tokenize(APPROVE)).token
    const authorized = (await w.pay({ token, amount: 5_000, currency: 'EUR', capture: false })).body
    const before = await counts(w.vault)
    const started = Date.now()
    const requests = [
      w.card('4000000000005001', { cvc: '123' }).then((card) => w.pay({ card, save_card: true, amount: 100, currency: 'EUR' })),
      w.pay({ token, amount: 200091, currency: 'EUR' }),
      w.call('POST', '/v1/payouts', { key: w.sk(), body: { token, amount: 200091, currency: 'EUR' } }),
      w.card('4000000000005001').then((card) => w.call('POST', '/v1/tokens', { key: w.sk(), body: { card, verification: 'acquirer' } })),
    ]
    // Killed once the requests are surely held at the acquirer.
    await new Promise((resolve) => setTimeout(resolve, 500))
    w.acquirer.child.kill('SIGKILL')
    const held = await Promise.all(requests)
    expect(Date.now() - started).toBeLessThan(5_000)
    for (const [i, res] of held.entries()) {
      expect(res.status, JSON.stringify(res.body)).toBe(502)
      // A payout's message says what is at stake: its outcome is unknown (docs/payments.md, "Failed payouts").
      const message = i === 2 ? UNKNOWN_PAYOUT_MESSAGES.unavailable : 'The card acquirer is unavailable; try again later.'
      expect(res.body.error).toEqual({ type: 'api_error', code: 'acquirer_unavailable', message })
    }
    // No payment, no token, no event, and the JWE claims withdrawn.
    expect(await counts(w.vault)).toEqual(before)

    const down = [
      await w.pay({ token, amount: 100, currency: 'EUR' }),
      await w.pay({ card: await w.card(APPROVE), amount: 100, currency: 'EUR' }),
      await w.call('POST', '/v1/payouts', { key: w.sk(), body: { token, amount: 100, currency: 'EUR' } }),
      await w.call('POST', `/v1/tokens/${token}/verify`, { key: w.sk() }),
      await w.call('POST', `/v1/payments/${authorized.id}/capture`, { key: w.sk(), body: {} }),
      await w.call('POST', '/v1/tokens', { key: w.sk(), body: { card: await w.card(APPROVE), verification: 'acquirer' } }),
    ]
    for (const res of down) expect(res.body.error?.code, JSON.stringify(res.body)).toBe('acquirer_unavailable')
    expect(await counts(w.vault)).toEqual(before)
    expect((await w.call('GET', `/v1/payments/${authorized.id}`, { key: w.sk() })).body).toEqual(authorized)
    // Basic verification does not need the acquirer.
    expect((await w.call('POST', '/v1/tokens', { key: w.sk(), body: { card: await w.card(APPROVE) } })).status).toBe(201)
  })
})

describe('timeouts', () => {
  let w: World
  beforeAll(async () => {
    w = await startWorld({ acquirerTimeoutMs: 800 })
  })
  afterAll(() => w?.close())

  it('answers 504 after the client timeout, writes nothing, and lets the same JWE be retried', async () => {
    const card = await w.card('4000000000005001')
    const before = await counts(w.vault)
    const started = Date.now()
    const res = await w.pay({ card, amount: 100, currency: 'EUR' })
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(res.status).toBe(504)
    expect(res.body.error).toMatchObject({ type: 'api_error', code: 'acquirer_timeout' })
    expect(await counts(w.vault)).toEqual(before)
    // The JWE was not used up: the retry reaches the acquirer again (and times out again).
    expect((await w.pay({ card, amount: 100, currency: 'EUR' })).status).toBe(504)
  })
})

describe('the crash window', () => {
  let w: World
  beforeAll(async () => {
    w = await startWorld()
  })
  afterAll(() => w?.close())

  /** What a vault that died between the acquirer's answer and its commit leaves: no payment, no event, no kept response. */
  async function forget(paymentId: string, idempotencyKey: string) {
    const db = w.vault.running.vault.store.db
    await db.deleteFrom('events').where('payload', 'like', `%${paymentId}%`).execute()
    await db.deleteFrom('payments').where('id', '=', paymentId).execute()
    await db.deleteFrom('idempotency_keys').where('key', '=', idempotencyKey).execute()
  }

  it('heals a token payment: the retry under the same key gets the acquirer’s first authorization', async () => {
    const token = (await w.tokenize(APPROVE)).token
    const first = await w.pay({ token, amount: 7_700, currency: 'EUR' }, { idempotencyKey: 'crash-token-1' })
    expect(first.status).toBe(201)
    await forget(first.body.id, 'crash-token-1')
    const retry = await w.pay({ token, amount: 7_700, currency: 'EUR' }, { idempotencyKey: 'crash-token-1' })
    expect(retry.status).toBe(201)
    expect(retry.body.acquirer_reference).toBe(first.body.acquirer_reference)
    expect((await counts(w.vault)).payments).toBe(1)
    // Without the key the same request is a new payment: a new authorization.
    const fresh = await w.pay({ token, amount: 7_700, currency: 'EUR' })
    expect(fresh.body.acquirer_reference).not.toBe(first.body.acquirer_reference)
  })

  it('heals a card payment: a new JWE of the same card under the same key gets the first authorization', async () => {
    const first = await w.pay({ card: await w.card(APPROVE, { cvc: '321' }), amount: 8_800, currency: 'EUR' }, { idempotencyKey: 'crash-card-1' })
    expect(first.status).toBe(201)
    await forget(first.body.id, 'crash-card-1')
    const retry = await w.pay({ card: await w.card(APPROVE, { cvc: '321' }), amount: 8_800, currency: 'EUR' }, { idempotencyKey: 'crash-card-1' })
    expect(retry.status).toBe(201)
    expect(retry.body.acquirer_reference).toBe(first.body.acquirer_reference)
  })

  it('replays a success under the same key without a second payment', async () => {
    const token = (await w.tokenize(APPROVE)).token
    const first = await w.pay({ token, amount: 990, currency: 'EUR' }, { idempotencyKey: 'replay-1' })
    const before = await counts(w.vault)
    const again = await w.pay({ token, amount: 990, currency: 'EUR' }, { idempotencyKey: 'replay-1' })
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body).toEqual(first.body)
    expect(await counts(w.vault)).toEqual(before)
  })
})
