// Only active tokens pay, pay out or verify: revoked, expired, invalid and deleted ones are
// refused before the acquirer is asked, and the refusal stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import { APPROVE, counts, startWorld, type World } from './support/world.js'

const clock = new ManualClock()
let w: World
beforeAll(async () => {
  w = await startWorld({ clock })
})
afterAll(() => w?.close())

const operations = (token: string) => [
  ['pay', () => w.pay({ token, amount: 100, currency: 'EUR' })],
  ['pay out', () => w.call('POST', '/v1/payouts', { key: w.sk(), body: { token, amount: 100, currency: 'EUR' } })],
  ['verify', () => w.call('POST', `/v1/tokens/${token}/verify`, { key: w.sk() })],
] as const

async function expectRefused(token: string, status: number, code: string) {
  for (const [name, run] of operations(token)) {
    const before = await counts(w.vault)
    const res = await run()
    expect(res.status, name).toBe(status)
    expect(res.body.error, name).toMatchObject({ code, param: 'token' })
    expect(await counts(w.vault), name).toEqual(before)
  }
}

describe('tokens that may not be used', () => {
  it('refuses a revoked token', async () => {
    const token = (await w.tokenize(APPROVE)).token
    expect((await w.call('POST', `/v1/tokens/${token}/revoke`, { key: w.sk() })).status).toBe(200)
    await expectRefused(token, 422, 'token_not_active')
  })

  it('refuses a token marked expired by the expiry job', async () => {
    const lax = await w.vault.createProject({ verification: 'none' })
    const res = await w.call('POST', '/v1/tokens', { key: lax.test.secret_key, body: { card: await w.card(APPROVE, { exp_month: 1, exp_year: 2020 }) } })
    expect(res.body.status).toBe('expired')
    const pay = await w.pay({ token: res.body.token, amount: 100, currency: 'EUR' }, { key: lax.test.secret_key })
    expect(pay.status).toBe(422)
    expect(pay.body.error.code).toBe('token_not_active')
  })

  it('refuses a token whose card expired before the expiry job ran', async () => {
    const token = await w.tokenize(APPROVE)
    clock.set(token.expires_at)
    try {
      await expectRefused(token.token, 422, 'token_not_active')
    } finally {
      clock.set(Date.now())
    }
    expect((await w.pay({ token: token.token, amount: 100, currency: 'EUR' })).status).toBe(201)
  })

  it('refuses an invalid token (an account the issuer closed)', async () => {
    const token = (await w.tokenize(APPROVE)).token
    await w.vault.running.vault.store.db.updateTable('tokens').set({ status: 'invalid' }).where('token', '=', token).execute()
    await expectRefused(token, 422, 'token_not_active')
  })

  it('does not find a deleted token', async () => {
    const token = (await w.tokenize(APPROVE)).token
    expect((await w.call('DELETE', `/v1/tokens/${token}`, { key: w.sk() })).status).toBe(200)
    await expectRefused(token, 404, 'token_not_found')
  })

  it('does not find another project’s token, nor a test token with a live key', async () => {
    const token = (await w.tokenize(APPROVE)).token
    const other = await w.vault.createProject()
    expect((await w.pay({ token, amount: 100, currency: 'EUR' }, { key: other.test.secret_key })).status).toBe(404)
    expect((await w.pay({ token, amount: 100, currency: 'EUR' }, { key: w.keys.live.secret_key })).status).toBe(404)
  })
})
