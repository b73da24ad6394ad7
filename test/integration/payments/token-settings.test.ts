// The project settings seeds 000/001/004 add: tokenize_on_purchase (a card payment with a
// customer_id saves its card) and account_updater (POST /v1/tokens/:token/refresh asks the
// sandbox acquirer's updater about one token now), with last_updated_by on the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestProjectKeys } from '../../helpers/vault.js'
import { APPROVE, counts, eventsOf, startWorld, year, type World } from './support/world.js'

const NEW_EXPIRY = '4000000000005100'
const NEW_NUMBER = '4000000000005209'
const CLOSED = '4000000000005407'

let w: World
let plain: TestProjectKeys
beforeAll(async () => {
  w = await startWorld({ project: { tokenizeOnPurchase: true, accountUpdater: 'on' } })
  plain = await w.vault.createProject()
})
afterAll(() => w?.close())

const get = async (token: string, key = w.sk()) => (await w.call('GET', `/v1/tokens/${token}`, { key })).body
const refresh = (token: string, key = w.sk(), body: Record<string, unknown> = {}) => w.call('POST', `/v1/tokens/${token}/refresh`, { key, body })

describe('tokenize_on_purchase', () => {
  it('saves the card of an approved card payment with a customer_id, without save_card', async () => {
    const paid = await w.pay({ card: await w.card(APPROVE), customer_id: 'cus_top', amount: 1_500, currency: 'EUR' })
    expect(paid.status).toBe(201)
    expect(paid.body.token).toMatch(/^[0-9a-f]{64}$/)
    const token = await get(paid.body.token)
    expect(token).toMatchObject({ status: 'active', customer_id: 'cus_top', card: { last4: '0077', exp_month: 6, exp_year: year }, verification: { strategy: 'acquirer', result: 'passed' }, last_updated_by: null })
    expect((await eventsOf(w, 'token.created')).some((e) => e.data.object.token === paid.body.token)).toBe(true)
  })

  it('saves nothing without a customer_id, with save_card: false refuses the customer_id, and a decline saves nothing', async () => {
    const anonymous = await w.pay({ card: await w.card(APPROVE), amount: 100, currency: 'EUR' })
    expect([anonymous.status, anonymous.body.token]).toEqual([201, null])
    const before = await counts(w.vault)
    const refused = await w.pay({ card: await w.card(APPROVE), customer_id: 'cus_top', save_card: false, amount: 100, currency: 'EUR' })
    expect([refused.status, refused.body.error.code, refused.body.error.param]).toEqual([400, 'parameter_invalid', 'customer_id'])
    expect(await counts(w.vault)).toEqual(before)
    const declined = await w.pay({ card: await w.card(APPROVE), customer_id: 'cus_top', amount: 200051, currency: 'EUR' })
    expect(declined.status).toBe(402)
    const after = await counts(w.vault)
    expect(after.tokens).toBe(before.tokens)
    expect(after.payments).toBe(before.payments + 1)
  })

  it('is off by default: a customer_id without save_card is refused, as before', async () => {
    const res = await w.pay({ card: await w.card(APPROVE), customer_id: 'cus_x', amount: 100, currency: 'EUR' }, { key: plain.test.secret_key })
    expect([res.status, res.body.error.code, res.body.error.param]).toEqual([400, 'parameter_invalid', 'customer_id'])
  })

  it('on a merchant-format project the payment goes on unsaved (no token value to give it)', async () => {
    const merchant = await w.vault.createProject({ tokenFormat: 'merchant', tokenizeOnPurchase: true })
    const res = await w.pay({ card: await w.card(APPROVE), customer_id: 'cus_m', amount: 100, currency: 'EUR' }, { key: merchant.test.secret_key })
    expect([res.status, res.body.status, res.body.token]).toEqual([201, 'captured', null])
  })
})

describe('POST /v1/tokens/:token/refresh', () => {
  it('applies the issuer’s new expiry now, with last_updated_by account_updater and token.updated', async () => {
    const before = await w.tokenize(NEW_EXPIRY)
    const res = await refresh(before.token)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ token: before.token, status: 'active', card: { last4: '5100', exp_month: 6, exp_year: year + 3 }, last_updated_by: 'account_updater' })
    expect(await get(before.token)).toEqual(res.body)
    const event = (await eventsOf(w, 'token.updated')).find((e) => e.data.object.token === before.token)
    expect(event?.data.object).toEqual(res.body)
    // A second ask finds nothing new to change.
    expect((await refresh(before.token)).body).toEqual(res.body)
  })

  it('seals a new number behind the token, and invalidates a closed card', async () => {
    const moved = await w.tokenize(NEW_NUMBER)
    expect((await refresh(moved.token)).body).toMatchObject({ card: { last4: '5308' }, last_updated_by: 'account_updater' })
    const closed = await w.tokenize(CLOSED)
    const res = await refresh(closed.token)
    expect(res.body).toMatchObject({ status: 'invalid', last_updated_by: 'account_updater' })
    expect((await eventsOf(w, 'token.invalidated')).some((e) => e.data.object.token === closed.token)).toBe(true)
  })

  it('answers the token unchanged when the issuer reports nothing', async () => {
    const token = await w.tokenize(APPROVE)
    const res = await refresh(token.token)
    expect(res.status).toBe(200)
    expect(res.body).toEqual(token)
  })

  it('refuses a revoked token (409 token_unusable), a project with the updater off, an unknown token and a body, changing nothing', async () => {
    const token = await w.tokenize(NEW_EXPIRY, { overrides: { exp_month: 2 } })
    await w.call('POST', `/v1/tokens/${token.token}/revoke`, { key: w.sk() })
    const revoked = await get(token.token)
    const before = await counts(w.vault)
    const res = await refresh(token.token)
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'token_unusable', param: 'token' })
    expect(await get(token.token)).toEqual(revoked)
    const offToken = await w.tokenize(NEW_EXPIRY, { key: plain.test.secret_key })
    const off = await refresh(offToken.token, plain.test.secret_key)
    expect([off.status, off.body.error.code]).toEqual([409, 'account_updater_off'])
    expect(await get(offToken.token, plain.test.secret_key)).toEqual(offToken)
    expect((await refresh('f'.repeat(64))).status).toBe(404)
    expect((await refresh(token.token, w.sk(), { force: true })).body.error.code).toBe('parameter_unknown')
    expect((await refresh(token.token, w.keys.test.publishable_key)).status).toBe(403)
    const after = await counts(w.vault)
    expect(after.events).toBe(before.events + 1)
  })
})
