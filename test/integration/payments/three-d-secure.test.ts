// 3-D Secure through the API: the real vault, the sandbox acquirer as its own process, every
// outcome of the four 3-D Secure cards, the challenge completed or failed on the acquirer's page
// (whose result reaches the vault server to server, signed), pay-and-save, idempotent retries,
// forged notifications and the 15-minute cancel job driven by an injected clock.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ACQUIRER_KEY } from '../../../backend/acquirer/http-client.js'
import { ManualClock } from '../../../backend/clock.js'
import { counts, eventsOf, startWorld, type World } from './support/world.js'

const CHALLENGE = '4000000000003220'
const FRICTIONLESS = '4000000000003055'
const FRICTIONLESS_FAILED = '4000000000003063'
const UNAVAILABLE = '4000000000003097'

let w: World
beforeAll(async () => {
  w = await startWorld()
})
afterAll(() => w?.close())

const db = () => w.vault.running.vault.store.db

async function challengeUrl(paymentId: string): Promise<string> {
  const row = await db().selectFrom('payment_actions').select('challenge_url').where('payment_id', '=', paymentId).executeTakeFirstOrThrow()
  return row.challenge_url
}

/** What the cardholder does on the acquirer's page: the form post of Complete or Fail. */
async function press(paymentId: string, outcome: 'complete' | 'fail'): Promise<string> {
  const res = await fetch(await challengeUrl(paymentId), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `outcome=${outcome}` })
  expect(res.status).toBe(200)
  return res.text()
}

const status = (id: string, secret: string, key = w.keys.test.publishable_key) => w.call('GET', `/v1/payments/${id}`, { key, headers: { 'tessera-payment-secret': secret } })

describe('frictionless and unavailable', () => {
  it('pays a frictionless card after the acquirer asks (automatic), with the result on the payment', async () => {
    const res = await w.pay({ card: await w.card(FRICTIONLESS), amount: 1250, currency: 'EUR' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({ status: 'captured', three_d_secure: { version: '2.2.0', flow: 'frictionless', result: 'authenticated', eci: '05' } })
    expect(res.body.next_action).toBeUndefined()
  })

  it('declines a failed frictionless authentication with authentication_failed, stored and readable', async () => {
    const res = await w.pay({ card: await w.card(FRICTIONLESS_FAILED), amount: 1250, currency: 'EUR' })
    expect(res.status).toBe(402)
    expect(res.body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'authentication_failed' })
    const stored = await w.call('GET', `/v1/payments/${res.body.error.payment}`, { key: w.sk() })
    expect(stored.body).toMatchObject({ status: 'declined', decline_code: 'authentication_failed', acquirer_reference: null, three_d_secure: { flow: 'frictionless', result: 'failed', eci: '07' } })
  })

  it('goes on without authentication when it is unavailable (automatic), declines when it is required', async () => {
    const automatic = await w.pay({ card: await w.card(UNAVAILABLE), amount: 500, currency: 'EUR' })
    expect(automatic.status).toBe(201)
    expect(automatic.body.status).toBe('captured')
    const required = await w.pay({ card: await w.card(UNAVAILABLE), amount: 500, currency: 'EUR', three_d_secure: 'required' })
    expect(required.status).toBe(402)
    expect(required.body.error.decline_code).toBe('authentication_unavailable')
    const stored = await w.call('GET', `/v1/payments/${required.body.error.payment}`, { key: w.sk() })
    expect(stored.body.three_d_secure).toMatchObject({ result: 'unavailable' })
  })

  it('authenticates an ordinary card when required, and never when off (the issuer then soft-declines a 3-D Secure card)', async () => {
    const required = await w.pay({ card: await w.card('4242424242424242'), amount: 700, currency: 'EUR', three_d_secure: 'required' })
    expect(required.body).toMatchObject({ status: 'captured', three_d_secure: { flow: 'frictionless', result: 'authenticated' } })
    const off = await w.pay({ card: await w.card(CHALLENGE), amount: 700, currency: 'EUR', three_d_secure: 'off' })
    expect(off.status).toBe(402)
    expect(off.body.error.decline_code).toBe('authentication_required')
  })

  it('refuses required on a merchant-initiated payment (no cardholder), storing nothing', async () => {
    const before = await counts(w.vault)
    const res = await w.pay({ card: await w.card(FRICTIONLESS), amount: 700, currency: 'EUR', initiator: 'merchant', three_d_secure: 'required' })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'parameter_invalid', param: 'three_d_secure' })
    expect(await counts(w.vault)).toEqual(before)
    const bad = await w.pay({ card: await w.card(FRICTIONLESS), amount: 700, currency: 'EUR', three_d_secure: 'always' })
    expect(bad.body.error).toMatchObject({ code: 'parameter_invalid', param: 'three_d_secure' })
  })
})

describe('challenge', () => {
  it('answers 201 requires_action with next_action; Complete on the acquirer page captures it, told server to server', async () => {
    const card = await w.card(CHALLENGE)
    const res = await w.pay({ card, amount: 4200, currency: 'EUR' }, { idempotencyKey: 'order-3ds-1' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({ status: 'requires_action', amount_captured: 0, acquirer_reference: null })
    const next = res.body.next_action
    expect(next).toEqual({ type: 'three_d_secure', url: `${w.vault.url}/three-d-secure/${res.body.id}`, client_secret: expect.stringMatching(new RegExp(`^${res.body.id}_secret_`)) })
    expect((await eventsOf(w, 'payment.updated')).find((e) => e.data.object.id === res.body.id)?.data.object.status).toBe('requires_action')

    // The browser's view: id and status only, with the client secret and the publishable key.
    expect((await status(res.body.id, next.client_secret)).body).toEqual({ id: res.body.id, status: 'requires_action' })
    expect((await status(res.body.id, next.client_secret + 'x')).status).toBe(404)
    expect((await w.call('GET', `/v1/payments/${res.body.id}`, { key: w.keys.test.publishable_key })).body.error.code).toBe('missing_payment_secret')

    expect(await press(res.body.id, 'complete')).toContain('You confirmed the payment.')
    const done = await w.call('GET', `/v1/payments/${res.body.id}`, { key: w.sk() })
    expect(done.body).toMatchObject({ status: 'captured', amount_captured: 4200, acquirer_reference: expect.stringMatching(/^auth_/), three_d_secure: { version: '2.2.0', flow: 'challenge', result: 'authenticated', eci: '05' } })
    expect(done.body.next_action).toBeUndefined()
    expect((await status(res.body.id, next.client_secret)).body).toEqual({ id: res.body.id, status: 'captured' })
    const updates = (await eventsOf(w, 'payment.updated')).filter((e) => e.data.object.id === res.body.id).map((e) => e.data.object.status)
    expect(updates.sort()).toEqual(['captured', 'requires_action'])
    expect((await eventsOf(w, 'payment.captured')).some((e) => e.data.object.id === res.body.id)).toBe(true)
    expect(await db().selectFrom('payment_actions').selectAll().where('payment_id', '=', res.body.id).execute()).toEqual([])

    // A retried create under the same key answers the same payment, after the challenge too.
    const before = await counts(w.vault)
    const retry = await w.pay({ card, amount: 4200, currency: 'EUR' }, { idempotencyKey: 'order-3ds-1' })
    expect(retry.body.id).toBe(res.body.id)
    expect(await counts(w.vault)).toEqual(before)
  })

  it('Fail on the acquirer page declines with authentication_failed; a second press changes nothing', async () => {
    const res = await w.pay({ card: await w.card(CHALLENGE), amount: 4300, currency: 'EUR', capture: false })
    expect(await press(res.body.id, 'fail')).toContain('The payment was not confirmed.')
    const done = await w.call('GET', `/v1/payments/${res.body.id}`, { key: w.sk() })
    expect(done.body).toMatchObject({ status: 'declined', decline_code: 'authentication_failed', three_d_secure: { flow: 'challenge', result: 'failed', eci: '07' } })
    expect((await status(res.body.id, res.body.next_action.client_secret)).body).toEqual({ id: res.body.id, status: 'declined', decline_code: 'authentication_failed' })
    const events = (await eventsOf(w, 'payment.declined')).filter((e) => e.data.object.id === res.body.id)
    expect(events).toHaveLength(1)
  })

  it('a token payment by the cardholder (one-click) goes through the challenge too', async () => {
    const { token } = await w.tokenize(CHALLENGE)
    const res = await w.pay({ token, amount: 900, currency: 'EUR', initiator: 'customer', capture: false })
    expect(res.body.status).toBe('requires_action')
    await press(res.body.id, 'complete')
    expect((await w.call('GET', `/v1/payments/${res.body.id}`, { key: w.sk() })).body).toMatchObject({ status: 'authorized', token })
    const merchant = await w.pay({ token, amount: 900, currency: 'EUR' })
    expect(merchant.body.status).toBe('captured')
    // The card's use is in the audit chain, by the key that asked for the payment.
    const audit = await w.call('GET', `/v1/audit-events?token=${token}&action=payment.created`, { key: w.sk() })
    expect(audit.body.data.map((e: any) => e.payment)).toContain(res.body.id)
  })

  it('pay-and-save stores the card only once the payment succeeds; the waiting card is sealed, then destroyed', async () => {
    const before = await counts(w.vault)
    const res = await w.pay({ card: await w.card(CHALLENGE, { name: 'ANA POPESCU' }), amount: 1500, currency: 'EUR', save_card: true, customer_id: 'c_3ds' })
    expect(res.body).toMatchObject({ status: 'requires_action', token: null })
    expect((await counts(w.vault)).tokens).toBe(before.tokens)
    const action = await db().selectFrom('payment_actions').selectAll().where('payment_id', '=', res.body.id).executeTakeFirstOrThrow()
    expect(action.card_ciphertext).toMatch(/^c1\./)
    expect(JSON.stringify(action)).not.toContain(CHALLENGE)
    await press(res.body.id, 'complete')
    const done = await w.call('GET', `/v1/payments/${res.body.id}`, { key: w.sk() })
    expect(done.body.token).toEqual(expect.any(String))
    const token = await w.call('GET', `/v1/tokens/${done.body.token}`, { key: w.sk() })
    expect(token.body).toMatchObject({ customer_id: 'c_3ds', card: { last4: '3220', name: 'ANA POPESCU' }, verification: { strategy: 'acquirer', result: 'passed' } })
    const audit = await w.call('GET', `/v1/audit-events?token=${done.body.token}`, { key: w.sk() })
    expect(audit.body.data.map((e: any) => [e.action, e.payment ?? null, e.actor.type])).toEqual(expect.arrayContaining([['token.created', null, 'key'], ['payment.created', res.body.id, 'key']]))
    expect(await db().selectFrom('payment_actions').selectAll().where('payment_id', '=', res.body.id).execute()).toEqual([])
  })

  it('pay-and-save with a failed challenge stores no token', async () => {
    const before = await counts(w.vault)
    const res = await w.pay({ card: await w.card(CHALLENGE), amount: 1500, currency: 'EUR', save_card: true })
    await press(res.body.id, 'fail')
    expect((await counts(w.vault)).tokens).toBe(before.tokens)
    expect((await w.call('GET', `/v1/payments/${res.body.id}`, { key: w.sk() })).body).toMatchObject({ status: 'declined', token: null })
  })
})

describe('notifications only from the acquirer', () => {
  it('refuses unsigned, forged and stale notifications (401) and changes nothing', async () => {
    const res = await w.pay({ card: await w.card(CHALLENGE), amount: 1600, currency: 'EUR' })
    const reference = (await db().selectFrom('payment_actions').select('authentication_reference').where('payment_id', '=', res.body.id).executeTakeFirstOrThrow()).authentication_reference
    const body = JSON.stringify({
      type: 'authentication.completed',
      authentication: { id: reference, status: 'authenticated', flow: 'challenge', version: '2.2.0', eci: '05', transaction_id: 'x', challenge_url: null, created_at: new Date().toISOString() },
    })
    const sign = (key: string, t: number) => `t=${t},v1=${createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`
    const now = Math.floor(Date.now() / 1000)
    const before = await counts(w.vault)
    const attempts: Record<string, string>[] = [{}, { 'tessera-acquirer-signature': sign('not-the-key', now) }, { 'tessera-acquirer-signature': sign(DEFAULT_ACQUIRER_KEY, now - 3600) }, { 'tessera-acquirer-signature': 'v1=deadbeef' }]
    for (const headers of attempts) {
      const forged = await w.call('POST', '/v1/acquirer/notifications', { rawBody: body, headers: { 'content-type': 'application/json', ...headers } })
      expect(forged.status).toBe(401)
      expect(forged.body.error).toMatchObject({ type: 'authentication_error', code: 'invalid_acquirer_signature' })
    }
    expect(await counts(w.vault)).toEqual(before)
    expect((await w.call('GET', `/v1/payments/${res.body.id}`, { key: w.sk() })).body.status).toBe('requires_action')
  })
})

describe('the 15-minute cancel job', () => {
  let clocked: World
  const clock = new ManualClock()
  beforeAll(async () => {
    clocked = await startWorld({ clock })
  })
  afterAll(() => clocked?.close())

  it('cancels a payment left in requires_action for 15 minutes, with payment.updated, and destroys its sealed card', async () => {
    const res = await clocked.pay({ card: await clocked.card(CHALLENGE), amount: 1700, currency: 'EUR', save_card: true })
    const jobs = clocked.vault.running.vault.jobs
    clock.advance(14 * 60_000)
    expect(await jobs.runOnce('payment-action-expiry')).toEqual({ canceled: 0 })
    clock.advance(60_000)
    expect(await jobs.runOnce('payment-action-expiry')).toEqual({ canceled: 1 })
    const payment = await clocked.call('GET', `/v1/payments/${res.body.id}`, { key: clocked.sk() })
    expect(payment.body).toMatchObject({ status: 'canceled' })
    expect(payment.body.next_action).toBeUndefined()
    const updates = (await eventsOf(clocked, 'payment.updated')).filter((e) => e.data.object.id === res.body.id).map((e) => e.data.object.status)
    expect(updates.sort()).toEqual(['canceled', 'requires_action'])
    expect(await clocked.vault.running.vault.store.db.selectFrom('payment_actions').selectAll().execute()).toEqual([])
    expect(await jobs.runOnce('payment-action-expiry')).toEqual({ canceled: 0 })
  })
})
