// GET /v1/payments (filters, cursor pages newest first, forged cursors) and POST
// /v1/payments/:id/cancel (the acquirer voids an uncaptured authorization; nothing else cancels).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPROVE, counts, eventsOf, startWorld, type World } from './support/world.js'

let w: World
beforeAll(async () => {
  w = await startWorld()
})
afterAll(() => w?.close())

const list = (query: string, key = w.sk()) => w.call('GET', `/v1/payments${query}`, { key })
const cancel = (id: string, body: Record<string, unknown> = {}) => w.call('POST', `/v1/payments/${id}/cancel`, { key: w.sk(), body })
const authorize = async (token: string, amount = 1_000) => {
  const res = await w.pay({ token, amount, currency: 'EUR', capture: false })
  expect(res.status).toBe(201)
  return res.body
}

describe('GET /v1/payments', () => {
  it('lists a project’s payments newest first in cursor pages, filtered by token, customer and status', async () => {
    const other = await w.vault.createProject()
    const otherToken = (await w.tokenize(APPROVE, { key: other.test.secret_key })).token
    expect((await w.pay({ token: otherToken, amount: 100, currency: 'EUR' }, { key: other.test.secret_key })).status).toBe(201)

    const mine = await w.tokenize(APPROVE, { customerId: 'cus_list' })
    const theirs = await w.tokenize('4242424242424242', { customerId: 'cus_other' })
    const made: string[] = []
    for (const amount of [101, 102, 103]) made.push((await w.pay({ token: mine.token, amount, currency: 'EUR' })).body.id)
    made.push((await authorize(mine.token, 104)).id)
    made.push((await w.pay({ token: theirs.token, amount: 105, currency: 'EUR' })).body.id)

    const pages: any[] = []
    let cursor: string | undefined
    do {
      const res = await list(`?customer_id=cus_list&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.status).toBe(200)
      expect(Object.keys(res.body)).toEqual(['object', 'data', 'has_more', 'next_cursor'])
      pages.push(res.body)
      cursor = res.body.next_cursor ?? undefined
      expect(res.body.has_more).toBe(cursor !== undefined)
    } while (cursor)
    const ids = pages.flatMap((p) => p.data.map((d: any) => d.id))
    expect(ids).toEqual(made.slice(0, 4).reverse())
    expect(pages.map((p) => p.data.length)).toEqual([2, 2])
    // Each listed object is the payment as GET shows it.
    expect(pages[0].data[0]).toEqual((await w.call('GET', `/v1/payments/${made[3]}`, { key: w.sk() })).body)

    expect((await list(`?token=${theirs.token}`)).body.data.map((d: any) => d.id)).toEqual([made[4]])
    const authorized = (await list(`?customer_id=cus_list&status=authorized`)).body.data
    expect(authorized.map((d: any) => d.id)).toEqual([made[3]])
    const all = (await list('?limit=100')).body.data.map((d: any) => d.id)
    expect(all).toEqual(expect.arrayContaining(made))
    // Another project's and the live mode's payments are not there.
    expect(all).toHaveLength(made.length)
    expect((await list('', w.keys.live.secret_key)).body).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null })
  })

  it('refuses a bad limit, an unknown filter, a bad status and a forged or foreign cursor with 400', async () => {
    const token = (await w.tokenize(APPROVE)).token
    for (let i = 0; i < 2; i++) await w.pay({ token, amount: 100 + i, currency: 'EUR' })
    for (const [query, code, param] of [
      ['?limit=0', 'invalid_limit', 'limit'],
      ['?limit=101', 'invalid_limit', 'limit'],
      ['?limit=ten', 'invalid_limit', 'limit'],
      ['?status=paid', 'parameter_invalid', 'status'],
      ['?color=red', 'parameter_unknown', 'color'],
      ['?cursor=abc', 'invalid_cursor', 'cursor'],
    ]) {
      const res = await list(query as string)
      expect(res.status, query).toBe(400)
      expect(res.body.error, query).toMatchObject({ type: 'invalid_request_error', code, param })
    }
    const cursor: string = (await list('?limit=1')).body.next_cursor
    const forged = cursor.replace(/^./, (ch) => (ch === 'W' ? 'X' : 'W'))
    expect((await list(`?limit=1&cursor=${forged}`)).body.error.code).toBe('invalid_cursor')
    // A cursor continues only the list (filters) it came from.
    expect((await list(`?limit=1&status=captured&cursor=${cursor}`)).body.error.code).toBe('invalid_cursor')
    expect((await list(`?limit=1&cursor=${cursor}`)).status).toBe(200)
  })

  it('needs a secret key', async () => {
    expect((await list('', w.keys.test.publishable_key)).status).toBe(403)
  })
})

describe('POST /v1/payments/:id/cancel', () => {
  it('voids an uncaptured authorization at the acquirer: canceled, payment.updated, and no capture after it', async () => {
    const token = (await w.tokenize(APPROVE)).token
    const payment = await authorize(token, 2_500)
    const res = await cancel(payment.id)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ...payment, status: 'canceled' })
    expect((await w.call('GET', `/v1/payments/${payment.id}`, { key: w.sk() })).body).toEqual(res.body)
    const updated = (await eventsOf(w, 'payment.updated')).filter((e) => e.data.object.id === payment.id)
    expect(updated.map((e) => e.data.object)).toEqual([res.body])

    const capture = await w.call('POST', `/v1/payments/${payment.id}/capture`, { key: w.sk(), body: {} })
    expect(capture.status).toBe(409)
    expect(capture.body.error).toMatchObject({ type: 'invalid_request_error', code: 'payment_not_capturable' })
    const again = await cancel(payment.id)
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('payment_not_cancelable')
    expect((await list(`?token=${token}&status=canceled`)).body.data.map((d: any) => d.id)).toEqual([payment.id])
  })

  it('refuses a captured, a declined and a refunded payment, changing nothing', async () => {
    const token = (await w.tokenize(APPROVE)).token
    const captured = (await w.pay({ token, amount: 700, currency: 'EUR' })).body
    const declined = (await w.pay({ token, amount: 200051, currency: 'EUR', capture: false })).body.error.payment
    const refunded = (await w.pay({ token, amount: 800, currency: 'EUR' })).body
    expect((await w.call('POST', `/v1/payments/${refunded.id}/refund`, { key: w.sk(), body: {} })).body.status).toBe('refunded')
    const before = await counts(w.vault)
    for (const [id, status] of [[captured.id, 'captured'], [declined, 'declined'], [refunded.id, 'refunded']]) {
      const res = await cancel(id as string)
      expect(res.status, status).toBe(409)
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'payment_not_cancelable' })
      expect(res.body.error.message).toContain(status)
      expect((await w.call('GET', `/v1/payments/${id}`, { key: w.sk() })).body.status).toBe(status)
    }
    expect(await counts(w.vault)).toEqual(before)
  })

  it('answers 404 for an unknown or another project’s payment, and 400 for a body', async () => {
    const token = (await w.tokenize(APPROVE)).token
    const payment = await authorize(token)
    const other = await w.vault.createProject()
    expect((await w.call('POST', `/v1/payments/${payment.id}/cancel`, { key: other.test.secret_key, body: {} })).status).toBe(404)
    expect((await cancel('pay_000000000000000000000000')).body.error.code).toBe('payment_not_found')
    const withBody = await cancel(payment.id, { amount: 5 })
    expect(withBody.status).toBe(400)
    expect(withBody.body.error.code).toBe('parameter_unknown')
    expect((await w.call('GET', `/v1/payments/${payment.id}`, { key: w.sk() })).body.status).toBe('authorized')
  })
})
