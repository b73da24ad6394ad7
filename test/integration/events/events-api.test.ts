// GET /v1/events and POST /v1/events/:id/redeliver as the contract: cursor pages, filters,
// delivery state, keys and modes; and events written in the same transaction as their change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys
let other: TestProjectKeys
const sk = () => keys.test.secret_key

beforeAll(async () => {
  ;({ vault, call, keys } = await startVaultWithProject({ background: false }))
  other = await vault.createProject()
  for (let i = 0; i < 7; i++) {
    const res = await call('POST', '/v1/tokens', { key: sk(), body: { card: await encryptCard(vault.url), customer_id: `cust_${i}` } })
    if (i < 2) await call('POST', `/v1/tokens/${res.body.token}/revoke`, { key: sk() })
  }
})
afterAll(() => vault.close())

const list = (query: string, key = sk()) => call('GET', `/v1/events${query}`, { key })

describe('GET /v1/events', () => {
  it('lists the project’s events newest first in cursor pages, each with its delivery state', async () => {
    const seen: any[] = []
    let cursor: string | null = null
    do {
      const res: any = await list(`?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ object: 'list', has_more: expect.any(Boolean) })
      seen.push(...res.body.data)
      cursor = res.body.next_cursor
      expect(cursor === null).toBe(!res.body.has_more)
    } while (cursor)
    expect(seen).toHaveLength(9)
    expect(new Set(seen.map((e) => e.id)).size).toBe(9)
    const order = seen.map((e) => `${e.created_at}|${e.id}`)
    expect(order).toEqual([...order].sort().reverse())
    expect(Object.keys(seen[0])).toEqual(['object', 'id', 'type', 'created_at', 'data', 'mode', 'delivery'])
    // The project has no webhook URL: its events are written settled, with nothing to deliver.
    expect(seen[0].delivery).toEqual({ status: 'skipped', attempts: 0, last_attempt_at: null, last_response_status: null, last_error: 'no webhook URL', next_attempt_at: null, delivered_at: null })
    const one = await call('GET', `/v1/events/${seen[3].id}`, { key: sk() })
    expect(one.body).toEqual(seen[3])
  })

  it('filters by type, by type family and by delivery status', async () => {
    expect((await list('?type=token.revoked')).body.data.map((e: any) => e.type)).toEqual(['token.revoked', 'token.revoked'])
    expect((await list('?type=token.created&limit=100')).body.data).toHaveLength(7)
    expect((await list('?type=token.*&limit=100')).body.data).toHaveLength(9)
    expect((await list('?type=payment.*')).body.data).toEqual([])
    expect((await list('?delivery_status=delivered')).body.data).toEqual([])
    for (const bad of ['?type=token', '?type=%25', '?delivery_status=lost', '?limit=0', '?limit=101', '?colour=red']) {
      expect((await list(bad)).status).toBe(400)
    }
  })

  it('refuses a forged cursor, a cursor from another list, the publishable key and other projects', async () => {
    const page = await list('?limit=1')
    const cursor = page.body.next_cursor as string
    expect((await list(`?cursor=${encodeURIComponent(cursor.slice(0, -2) + 'xx')}`)).body.error).toMatchObject({ code: 'invalid_cursor', param: 'cursor' })
    expect((await list(`?cursor=${encodeURIComponent(cursor)}`, other.test.secret_key)).status).toBe(400)
    expect((await list('', keys.test.publishable_key)).status).toBe(403)
    expect((await list('', keys.live.secret_key)).body.data).toEqual([])
    expect((await list('', other.test.secret_key)).body.data).toEqual([])
    expect((await call('GET', `/v1/events/${page.body.data[0].id}`, { key: other.test.secret_key })).status).toBe(404)
    expect((await call('GET', '/v1/events/evt_nope', { key: sk() })).body.error).toMatchObject({ code: 'event_not_found' })
    expect((await call('DELETE', '/v1/events', { key: sk() })).status).toBe(405)
  })
})

describe('POST /v1/events/:id/redeliver', () => {
  it('answers 409 when the project has no webhook URL, 404 for an unknown event', async () => {
    const [e] = (await list('?limit=1')).body.data
    expect((await call('POST', `/v1/events/${e.id}/redeliver`, { key: sk() })).body.error).toMatchObject({ code: 'webhook_url_missing' })
    expect((await call('POST', `/v1/events/evt_${'0'.repeat(24)}/redeliver`, { key: sk() })).status).toBe(404)
  })
})

describe('the outbox and its transaction', () => {
  it('writes no event when the change fails, and none when the transaction around a payment event rolls back', async () => {
    const before = (await list('?limit=100')).body.data.length
    const revoked = (await list('?type=token.revoked&limit=1')).body.data[0].data.object.token
    expect((await call('PATCH', `/v1/tokens/${revoked}`, { key: sk(), body: { name: 'X' } })).status).toBe(409)
    const { db } = vault.running.vault.store
    const outbox = vault.running.vault.outbox
    const payment = { object: 'payment' as const, id: 'pay_1', status: 'captured', amount: 1000, amount_captured: 1000, amount_refunded: 0, currency: 'EUR', token: revoked, initiator: 'merchant', acquirer_reference: 'acq_1', created_at: new Date().toISOString() }
    await expect(
      db.transaction().execute(async (trx) => {
        await outbox.recordPaymentEvent(trx, { projectId: keys.projectId, mode: 'test', type: 'payment.captured', payment, at: new Date() })
        throw new Error('the payment write failed')
      }),
    ).rejects.toThrow('the payment write failed')
    expect((await list('?limit=100')).body.data).toHaveLength(before)

    const id = await db.transaction().execute((trx) => outbox.recordPaymentEvent(trx, { projectId: keys.projectId, mode: 'test', type: 'payment.captured', payment, at: new Date() }))
    const [captured] = (await list('?type=payment.*')).body.data
    expect(captured).toMatchObject({ id, type: 'payment.captured', mode: 'test', data: { object: payment } })
  })
})
