// One card intake for every door: a JWE used at one (tokenize, token update, payment) is a
// replay at every other; tokenizing with acquirer verification claims the JWE before the
// acquirer is asked (two at once: one verification, one token) and withdraws the claim when
// nothing is stored; search by card opens the JWE like the others but does not consume it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPROVE, counts, startWorld, type World } from './support/world.js'

const DECLINE = '4000000000000002'

describe('the card intake', () => {
  let w: World
  beforeAll(async () => {
    w = await startWorld()
  })
  afterAll(() => w?.close())

  it('a JWE used to update a token is a replay at tokenize and at payment', async () => {
    const token = (await w.tokenize(APPROVE)).token
    const card = await w.card(APPROVE, { exp_month: 9 })
    const updated = await w.call('PATCH', `/v1/tokens/${token}`, { key: w.sk(), body: { card } })
    expect(updated.status, JSON.stringify(updated.body)).toBe(200)
    const before = await counts(w.vault)
    expect((await w.call('POST', '/v1/tokens', { key: w.sk(), body: { card } })).body.error.code).toBe('replayed_card_encryption')
    expect((await w.pay({ card, amount: 100, currency: 'EUR' })).body.error.code).toBe('replayed_card_encryption')
    expect((await w.call('PATCH', `/v1/tokens/${token}`, { key: w.sk(), body: { card } })).body.error.code).toBe('replayed_card_encryption')
    expect(await counts(w.vault)).toEqual(before)
  })

  it('search by card does not consume the JWE', async () => {
    const card = await w.card(APPROVE)
    const found = await w.call('POST', '/v1/tokens/search', { key: w.sk(), body: { card } })
    expect(found.status).toBe(200)
    expect(found.body.data.length).toBeGreaterThan(0)
    expect((await w.call('POST', '/v1/tokens', { key: w.sk(), body: { card } })).status).toBe(201)
  })

  it('acquirer verification: two requests with one JWE store one token; a declined JWE may be sent again', async () => {
    const card = await w.card(APPROVE, { exp_month: 3 })
    const before = await counts(w.vault)
    const both = await Promise.all([0, 1].map(() => w.call('POST', '/v1/tokens', { key: w.sk(), body: { card, verification: 'acquirer' } })))
    expect(both.map((r) => r.status).sort()).toEqual([201, 400])
    expect(both.find((r) => r.status === 400)?.body.error.code).toBe('replayed_card_encryption')
    expect((await counts(w.vault)).seen_jtis).toBe(before.seen_jtis + 1)

    const declined = await w.card(DECLINE)
    const first = await w.call('POST', '/v1/tokens', { key: w.sk(), body: { card: declined, verification: 'acquirer' } })
    expect([first.status, first.body.error?.code]).toEqual([402, 'card_declined'])
    const again = await w.call('POST', '/v1/tokens', { key: w.sk(), body: { card: declined, verification: 'acquirer' } })
    expect([again.status, again.body.error?.code]).toEqual([402, 'card_declined'])
    expect(await counts(w.vault)).toMatchObject({ seen_jtis: before.seen_jtis + 1 })
  })
})
