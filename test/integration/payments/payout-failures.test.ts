// Failed payouts (DESIGN.md: "Declined and failed payouts are recorded and announced"): the
// acquirer refusing a payout for good is stored as `failed`, readable, announced as
// `payout.failed` (outbox, signed webhook to a loopback receiver) with its audit entry, and
// answered 502 `payout_failed` naming it, replayed under the same Idempotency-Key. An unknown
// outcome (timeout, acquirer gone) stores nothing and says to retry under the same key.
// The vault and the receiver are real HTTP servers; the sandbox acquirer runs as its own process.
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorObject, PayoutObject } from '../../../backend/http/openapi/objects.js'
import { verifyWebhook } from '../../../packages/node/index.js'
import { allAuditEvents } from '../../helpers/audit.js'
import { startReceiver, type Receiver } from '../events/support/receiver.js'
import { APPROVE, counts, eventsOf, startWorld, type World } from './support/world.js'

/** The sandbox card whose payouts the acquirer refuses (422 payout_not_supported, recorded). */
const NO_PAYOUTS = '4000000000006108'

let w: World
let receiver: Receiver
beforeAll(async () => {
  receiver = await startReceiver()
  // Background jobs on: the dispatcher delivers the outbox to the receiver.
  w = await startWorld({ background: true, acquirerTimeoutMs: 800, project: { webhookUrl: receiver.url } })
})
afterAll(async () => {
  await w?.close()
  await receiver?.close()
})

const payout = (body: Record<string, unknown>, idempotencyKey?: string) =>
  w.call('POST', '/v1/payouts', { key: w.sk(), body, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} })

/** The delivered webhook carrying `type` for object `id`, once it arrives. */
async function delivered(type: string, id: string) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const hook = receiver.received.find((r) => r.body.includes(`"type":"${type}"`) && r.body.includes(id))
    if (hook) return hook
    if (Date.now() > deadline) throw new Error(`no ${type} webhook for ${id}`)
    await receiver.waitFor(receiver.received.length + 1, Math.max(1, deadline - Date.now())).catch(() => undefined)
  }
}

describe('a payout the acquirer refuses for good', () => {
  let token: any
  let first: Awaited<ReturnType<typeof payout>>
  let before: Awaited<ReturnType<typeof counts>>

  beforeAll(async () => {
    token = await w.tokenize(NO_PAYOUTS)
    before = await counts(w.vault)
    first = await payout({ token: token.token, amount: 4_200, currency: 'EUR' }, 'fail-1')
  })

  it('answers 502 api_error payout_failed with the failure_code and the stored payout’s id', () => {
    expect(first.status, JSON.stringify(first.body)).toBe(502)
    expect(first.body.error).toEqual({
      type: 'api_error',
      code: 'payout_failed',
      message: 'The acquirer refused the payout: nothing was paid out. `failure_code` says why.',
      failure_code: 'payout_not_supported',
      payout: expect.stringMatching(/^po_[0-9a-f]{24}$/),
    })
    // As the OpenAPI document describes it.
    expect(v.safeParse(ErrorObject, first.body).success).toBe(true)
  })

  it('stores the payout as failed, readable with GET: nothing moved, the acquirer’s reference kept', async () => {
    const res = await w.call('GET', `/v1/payouts/${first.body.error.payout}`, { key: w.sk() })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      object: 'payout',
      id: first.body.error.payout,
      status: 'failed',
      amount: 4_200,
      amount_captured: 0,
      amount_refunded: 0,
      currency: 'EUR',
      token: token.token,
      initiator: 'merchant',
      failure_code: 'payout_not_supported',
      acquirer_reference: expect.stringMatching(/^po_/),
      created_at: expect.any(String),
    })
    expect(v.safeParse(PayoutObject, res.body).success).toBe(true)
    // Its field order follows the payment object's: the reason just before acquirer_reference.
    expect(Object.keys(res.body).slice(-3)).toEqual(['failure_code', 'acquirer_reference', 'created_at'])
    // One payout row, one event, one audit entry; a failure is not a use of the token.
    const after = await counts(w.vault)
    expect(after).toEqual({ ...before, payments: before.payments + 1, events: before.events + 1, audit_log: before.audit_log + 1 })
    expect((await w.call('GET', `/v1/tokens/${token.token}`, { key: w.sk() })).body.last_used_at).toBeNull()
    // Another project does not see it.
    const other = await w.vault.createProject()
    expect((await w.call('GET', `/v1/payouts/${first.body.error.payout}`, { key: other.test.secret_key })).status).toBe(404)
  })

  it('announces payout.failed with the stored object (and nothing else for it), in the audit chain too', async () => {
    const stored = (await w.call('GET', `/v1/payouts/${first.body.error.payout}`, { key: w.sk() })).body
    expect((await eventsOf(w, 'payout.failed')).filter((e) => e.data.object.id === stored.id).map((e) => e.data.object)).toEqual([stored])
    const all = (await eventsOf(w, 'payout.*')).filter((e) => e.data.object.id === stored.id)
    expect(all.map((e) => e.type)).toEqual(['payout.failed'])
    const audit = (await allAuditEvents(w.call, w.sk())).filter((e) => e.payment === stored.id)
    expect(audit.map((e) => [e.action, e.token])).toEqual([['payout.created', token.token]])
  })

  it('delivers payout.failed as a signed webhook to the merchant’s receiver', async () => {
    const id = first.body.error.payout
    const hook = await delivered('payout.failed', id)
    const event = await verifyWebhook(hook.body, hook.signature, `${w.vault.url}/v1/webhook-keys`, { project: w.keys.projectId })
    expect(event).toMatchObject({ object: 'event', type: 'payout.failed', mode: 'test', data: { object: { object: 'payout', id, status: 'failed', failure_code: 'payout_not_supported' } } })
    expect(hook.eventId).toBe(event.id)
    // The delivery shows in the event log.
    const logged = (await eventsOf(w, 'payout.failed')).find((e) => e.id === event.id)
    await expect.poll(async () => (await w.call('GET', `/v1/events/${logged.id}`, { key: w.sk() })).body.delivery.status).toBe('delivered')
  })

  it('replays the same 502 under the same Idempotency-Key, storing and sending nothing new', async () => {
    const now = await counts(w.vault)
    const again = await payout({ token: token.token, amount: 4_200, currency: 'EUR' }, 'fail-1')
    expect(again.status).toBe(502)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body).toEqual(first.body)
    expect(await counts(w.vault)).toEqual(now)
    // The same key with another body is the usual 409.
    const other = await payout({ token: token.token, amount: 4_300, currency: 'EUR' }, 'fail-1')
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_key_reused'])
  })

  it('records a vault that died before its commit once: the retry gets the acquirer’s replayed refusal', async () => {
    const res = await payout({ token: token.token, amount: 4_400, currency: 'EUR' }, 'fail-crash')
    const id = res.body.error.payout
    const reference = (await w.call('GET', `/v1/payouts/${id}`, { key: w.sk() })).body.acquirer_reference
    // What a crash between the acquirer's answer and the commit leaves: no payout, no event, no
    // kept answer (the audit chain is append-only, so its entry stays: the test does not undo it).
    const db = w.vault.running.vault.store.db
    await db.deleteFrom('events').where('payload', 'like', `%${id}%`).execute()
    await db.deleteFrom('payments').where('id', '=', id).execute()
    await db.deleteFrom('idempotency_keys').where('key', '=', 'fail-crash').execute()
    const retry = await payout({ token: token.token, amount: 4_400, currency: 'EUR' }, 'fail-crash')
    expect(retry.status).toBe(502)
    const stored = (await w.call('GET', `/v1/payouts/${retry.body.error.payout}`, { key: w.sk() })).body
    expect(stored).toMatchObject({ status: 'failed', acquirer_reference: reference })
  })

  it('without an Idempotency-Key, a retry is a new attempt (a new failed payout)', async () => {
    const a = await payout({ token: token.token, amount: 100, currency: 'EUR' })
    const b = await payout({ token: token.token, amount: 100, currency: 'EUR' })
    expect([a.status, b.status]).toEqual([502, 502])
    expect(a.body.error.payout).not.toBe(b.body.error.payout)
  })

  it('pays with the same card: only payouts to it fail', async () => {
    const res = await w.pay({ token: token.token, amount: 100, currency: 'EUR' })
    expect(res.status).toBe(201)
    expect(res.body).not.toHaveProperty('failure_code')
  })
})

describe('GET /v1/payouts', () => {
  it('lists the project’s payouts newest first, paid, declined and failed alike, filtered by status, token and customer', async () => {
    const card = await w.tokenize(NO_PAYOUTS, { customerId: 'cus_payouts' })
    const good = await w.tokenize(APPROVE, { customerId: 'cus_payouts' })
    const made = [
      (await payout({ token: good.token, amount: 501, currency: 'EUR' })).body.id,
      (await payout({ token: good.token, amount: 200051, currency: 'EUR' })).body.error.payout,
      (await payout({ token: card.token, amount: 503, currency: 'EUR' })).body.error.payout,
    ]
    const list = (query: string, key = w.sk()) => w.call('GET', `/v1/payouts${query}`, { key })
    const page1 = await list('?customer_id=cus_payouts&limit=2')
    expect(page1.status).toBe(200)
    expect(page1.body.has_more).toBe(true)
    const page2 = await list(`?customer_id=cus_payouts&limit=2&cursor=${page1.body.next_cursor}`)
    expect([...page1.body.data, ...page2.body.data].map((p: any) => [p.id, p.status])).toEqual([
      [made[2], 'failed'],
      [made[1], 'declined'],
      [made[0], 'paid'],
    ])
    expect(page1.body.data[0]).toEqual((await w.call('GET', `/v1/payouts/${made[2]}`, { key: w.sk() })).body)
    const failed = (await list('?status=failed&limit=100')).body.data
    expect(failed.every((p: any) => p.status === 'failed' && p.object === 'payout')).toBe(true)
    expect(failed.map((p: any) => p.id)).toContain(made[2])
    expect((await list(`?token=${good.token}`)).body.data.map((p: any) => p.id)).toEqual([made[1], made[0]])
    // Payouts are not payments, and the other list's cursor is refused.
    expect((await w.call('GET', '/v1/payments?limit=100', { key: w.sk() })).body.data.some((p: any) => made.includes(p.id))).toBe(false)
    const foreign = await w.call('GET', `/v1/payments?customer_id=cus_payouts&limit=2&cursor=${page1.body.next_cursor}`, { key: w.sk() })
    expect([foreign.status, foreign.body.error.code]).toEqual([400, 'invalid_cursor'])
    for (const [query, code, param] of [
      ['?status=captured', 'parameter_invalid', 'status'],
      ['?limit=0', 'invalid_limit', 'limit'],
      ['?amount=5', 'parameter_unknown', 'amount'],
    ] as const) {
      const res = await list(query)
      expect([res.status, res.body.error.code, res.body.error.param], query).toEqual([400, code, param])
    }
    expect((await list('', w.keys.live.secret_key)).body).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null })
  })
})

describe('a payout whose outcome is unknown', () => {
  let token: string
  beforeAll(async () => {
    token = (await w.tokenize(APPROVE)).token
  })

  it('times out with 504, stores nothing, announces nothing, and says to retry under the same key', async () => {
    const before = await counts(w.vault)
    const res = await payout({ token, amount: 200091, currency: 'EUR' }, 'unknown-1')
    expect(res.status).toBe(504)
    expect(res.body.error).toEqual({
      type: 'api_error',
      code: 'acquirer_timeout',
      message: 'The card acquirer did not answer in time: the payout may or may not have been made. Retry with the same Idempotency-Key; the acquirer then answers the first attempt instead of paying out twice.',
    })
    expect(await counts(w.vault)).toEqual(before)
    expect(res.body.error).not.toHaveProperty('payout')
    // Not kept as the key's answer: the retry asks again (and the hang card times out again).
    const retry = await payout({ token, amount: 200091, currency: 'EUR' }, 'unknown-1')
    expect(retry.headers.get('idempotent-replayed')).toBeNull()
    expect([504, 409]).toContain(retry.status)
    expect(await counts(w.vault)).toEqual(before)
  })

  it('answers an acquirer fault (500) with 502, stores nothing, and lets the same key retry', async () => {
    const before = await counts(w.vault)
    const res = await payout({ token, amount: 200096, currency: 'EUR' }, 'unknown-2')
    expect(res.status).toBe(502)
    expect(res.body.error).toMatchObject({ type: 'api_error', code: 'acquirer_unavailable', message: expect.stringContaining('may or may not have been made') })
    expect(await counts(w.vault)).toEqual(before)
    expect((await eventsOf(w, 'payout.failed')).some((e) => e.data.object.amount === 200096)).toBe(false)
  })
})
