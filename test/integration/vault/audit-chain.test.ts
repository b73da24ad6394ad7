// The audit chain (DESIGN.md "Audit chain"): every token change and every use of a stored card
// appends an event with the acting key (or job) and the request id, hash-linked per project and
// mode; GET /v1/audit-events pages and filters it. `tessera audit verify` and concurrent appends:
// audit-verify.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../../backend/clock.js'
import { allAuditEvents, expectValidChain } from '../../helpers/audit.js'
import { encryptCard, liveCardNumber } from '../../helpers/cards.js'
import { APPROVE, startWorld, year, type World } from '../payments/support/world.js'

const DECLINE = '4000000000000002'
const NEW_EXPIRY = '4000000000005100'
const CLOSED = '4000000000005407'

/** Real time plus an offset the expiry test moves forward. */
let offsetMs = 0
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) }

let w: World
let keyId: string
/** What the test did, in order: the events it expects, with the request that made them. */
const expected: { action: string; token?: string; payment?: string; requestId?: string; job?: string }[] = []

const sk = () => w.sk()
const db = () => w.vault.running.vault.store.db

async function call(method: string, path: string, body?: unknown, key = sk()) {
  const res = await w.call(method, path, { key, body })
  return { ...res, requestId: res.headers.get('request-id') as string }
}

async function tokenize(number: string, overrides: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/tokens', { card: await w.card(number, overrides) })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  expected.push({ action: 'token.created', token: res.body.token, requestId: res.requestId })
  return res.body.token as string
}

beforeAll(async () => {
  w = await startWorld({ clock, project: { accountUpdater: 'on' } })
  const row = await db().selectFrom('api_keys').select('id').where('project_id', '=', w.keys.projectId).where('mode', '=', 'test').where('kind', '=', 'secret').executeTakeFirstOrThrow()
  keyId = row.id
})
afterAll(() => w?.close())

describe('audit events', () => {
  it('records every token change and every use of a stored card, with the key and the request id', async () => {
    const a = await tokenize(APPROVE)
    const updated = await call('PATCH', `/v1/tokens/${a}`, { exp_month: 7, exp_year: year + 1 })
    expect(updated.status).toBe(200)
    expected.push({ action: 'token.updated', token: a, requestId: updated.requestId })
    const extended = await call('POST', `/v1/tokens/${a}/extend`, { months: 6 })
    expect(extended.status).toBe(200)
    expected.push({ action: 'token.extended', token: a, requestId: extended.requestId })
    const verified = await call('POST', `/v1/tokens/${a}/verify`)
    expect(verified.status).toBe(200)
    expected.push({ action: 'token.verified', token: a, requestId: verified.requestId })

    const d = await tokenize(DECLINE)
    const declined = await call('POST', `/v1/tokens/${d}/verify`)
    expect(declined.status).toBe(402)
    expected.push({ action: 'token.verification_declined', token: d, requestId: declined.requestId })

    const paid = await call('POST', '/v1/payments', { token: a, amount: 1_000, currency: 'EUR' })
    expect(paid.status).toBe(201)
    expected.push({ action: 'payment.created', token: a, payment: paid.body.id, requestId: paid.requestId })
    const declinedPayment = await call('POST', '/v1/payments', { token: d, amount: 1_000, currency: 'EUR' })
    expect(declinedPayment.status).toBe(402)
    expected.push({ action: 'payment.created', token: d, payment: declinedPayment.body.error.payment, requestId: declinedPayment.requestId })

    const saving = await call('POST', '/v1/payments', { card: await w.card(APPROVE, { exp_month: 9 }), save_card: true, customer_id: 'cust_audit', amount: 500, currency: 'EUR' })
    expect(saving.status, JSON.stringify(saving.body)).toBe(201)
    expected.push({ action: 'token.created', token: saving.body.token, requestId: saving.requestId }, { action: 'payment.created', token: saving.body.token, payment: saving.body.id, requestId: saving.requestId })

    const payout = await call('POST', '/v1/payouts', { token: a, amount: 300, currency: 'EUR' })
    expect(payout.status).toBe(201)
    expected.push({ action: 'payout.created', token: a, payment: payout.body.id, requestId: payout.requestId })

    const revoked = await call('POST', `/v1/tokens/${d}/revoke`)
    expect(revoked.status).toBe(200)
    expected.push({ action: 'token.revoked', token: d, requestId: revoked.requestId })
    const deleted = await call('DELETE', `/v1/tokens/${saving.body.token}`)
    expect(deleted.status).toBe(200)
    expected.push({ action: 'token.deleted', token: saving.body.token, requestId: deleted.requestId })

    // The account updater (a job): the sandbox reports on cards it has seen.
    const newExpiry = await tokenize(NEW_EXPIRY)
    const closed = await tokenize(CLOSED)
    for (const t of [newExpiry, closed]) {
      const v = await call('POST', `/v1/tokens/${t}/verify`)
      expect(v.status).toBe(200)
      expected.push({ action: 'token.verified', token: t, requestId: v.requestId })
    }
    await w.vault.running.vault.jobs.runOnce('account-updater')
    expected.push({ action: 'token.updated', token: newExpiry, job: 'account-updater' }, { action: 'token.invalidated', token: closed, job: 'account-updater' })

    // The expiry job: a card that expires this month, and the clock moved past its end.
    const now = new Date()
    const expiring = await tokenize('4242424242424242', { exp_month: now.getUTCMonth() + 1, exp_year: now.getUTCFullYear() })
    offsetMs = 40 * 24 * 3600 * 1000
    try {
      expect(await w.vault.running.vault.jobs.runOnce('expiry')).toMatchObject({ expired: 1 })
    } finally {
      offsetMs = 0
    }
    expected.push({ action: 'token.expired', token: expiring, job: 'expiry' })

    const events = await allAuditEvents(w.call, sk())
    const seen = events.map((e) => ({ action: e.action, token: e.token, payment: e.payment, requestId: e.request_id, job: e.actor.job }))
    // The account updater's two changes come in the order the acquirer reports them.
    const updaterStart = expected.findIndex((e) => e.job === 'account-updater')
    const normalize = (list: typeof expected) => [...list.slice(0, updaterStart), ...list.slice(updaterStart, updaterStart + 2).sort((a, b) => (a.token! < b.token! ? -1 : 1)), ...list.slice(updaterStart + 2)]
    expect(normalize(seen)).toEqual(normalize(expected).map((e) => ({ action: e.action, token: e.token, payment: e.payment, requestId: e.requestId, job: e.job })))
    for (const e of events) {
      expect(e.object).toBe('audit_event')
      expect(e.id).toMatch(/^aud_[0-9a-f]{24}$/)
      expect(e.actor).toEqual(e.request_id ? { type: 'key', key_id: keyId } : { type: 'job', job: e.actor.job })
      expect(e.request_id === undefined).toBe(e.actor.type === 'job')
      expect(Object.keys(e).every((k) => ['object', 'id', 'action', 'token', 'payment', 'actor', 'request_id', 'created_at', 'prev_hash', 'hash'].includes(k))).toBe(true)
    }
    expectValidChain(events, w.keys.projectId, 'test')
  })

  it('keeps test and live mode in separate chains: a test key never sees live events', async () => {
    const live = await w.call('POST', '/v1/tokens', { key: w.keys.live.secret_key, body: { card: await encryptCard(w.vault.url, { number: liveCardNumber() }) } })
    expect(live.status).toBe(201)
    const liveEvents = await allAuditEvents(w.call, w.keys.live.secret_key)
    expect(liveEvents.map((e) => [e.action, e.token])).toEqual([['token.created', live.body.token]])
    expectValidChain(liveEvents, w.keys.projectId, 'live')
    const testEvents = await allAuditEvents(w.call, sk())
    expect(testEvents.some((e) => e.token === live.body.token)).toBe(false)
    expect(testEvents.map((e) => e.id)).not.toContain(liveEvents[0].id)
    // Another project's key sees its own (empty) chain.
    const other = await w.vault.createProject()
    expect((await w.call('GET', '/v1/audit-events', { key: other.test.secret_key })).body).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null })
  })

  it('pages newest first with signed cursors, and filters by token, action and creation time', async () => {
    const all = (await allAuditEvents(w.call, sk())).reverse()
    const paged: any[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res: any = await w.call('GET', `/v1/audit-events?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { key: sk() })
      expect(res.status).toBe(200)
      expect(Object.keys(res.body)).toEqual(['object', 'data', 'has_more', 'next_cursor'])
      expect(res.body.data.length).toBeLessThanOrEqual(3)
      expect(res.body.has_more).toBe(res.body.next_cursor !== null)
      paged.push(...res.body.data)
      cursor = res.body.next_cursor
      pages++
    } while (cursor)
    expect(paged).toEqual(all)
    expect(pages).toBe(Math.ceil(all.length / 3))
    const first = await w.call('GET', '/v1/audit-events', { key: sk() })
    expect(first.body.data).toHaveLength(Math.min(10, all.length))

    const token = all.find((e) => e.action === 'token.extended').token
    const byToken = await allAuditEvents(w.call, sk(), `&token=${token}`)
    expect(byToken.length).toBeGreaterThan(3)
    expect(byToken).toEqual(all.filter((e) => e.token === token).reverse())
    const created = await allAuditEvents(w.call, sk(), '&action=token.created')
    expect(created).toEqual(all.filter((e) => e.action === 'token.created').reverse())
    // The expiry event was written 40 days ahead: a time window finds exactly it.
    const later = new Date(Date.now() + 20 * 24 * 3600 * 1000).toISOString()
    const windowed = await allAuditEvents(w.call, sk(), `&created_gte=${later}`)
    expect(windowed.map((e) => e.action)).toEqual(['token.expired'])
    const before = await allAuditEvents(w.call, sk(), `&created_lt=${later}`)
    expect(before.length).toBe(all.length - 1)
    const none = await allAuditEvents(w.call, sk(), `&created_gte=${encodeURIComponent('2000-01-01T00:00:00+00:00')}&created_lt=2000-01-02T00:00:00Z`)
    expect(none).toEqual([])
  })

  it('refuses bad filters, limits and cursors with 400, other keys with their error, and writes nothing', async () => {
    const count = async () => Number((await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const before = await count()
    const bad: [string, string, string][] = [
      ['action=token.stolen', 'parameter_invalid', 'action'],
      ['created_gte=yesterday', 'parameter_invalid', 'created_gte'],
      ['created_lt=2024-13-01T00:00:00Z', 'parameter_invalid', 'created_lt'],
      ['token=' + encodeURIComponent('tok with spaces'), 'parameter_invalid', 'token'],
      ['limit=0', 'invalid_limit', 'limit'],
      ['limit=101', 'invalid_limit', 'limit'],
      ['cursor=forged.AAAAAAAAAAAAAAAAAAAAAA', 'invalid_cursor', 'cursor'],
      ['status=active', 'parameter_unknown', 'status'],
    ]
    for (const [query, code, param] of bad) {
      const res = await w.call('GET', `/v1/audit-events?${query}`, { key: sk() })
      expect(res.status, query).toBe(400)
      expect(res.body.error, query).toMatchObject({ type: 'invalid_request_error', code, param })
    }
    // A live cursor is not a test cursor.
    const livePage = await w.call('GET', '/v1/audit-events?limit=1', { key: w.keys.live.secret_key })
    const testPage = await w.call('GET', '/v1/audit-events?limit=1', { key: sk() })
    expect((await w.call('GET', `/v1/audit-events?cursor=${testPage.body.next_cursor}`, { key: w.keys.live.secret_key })).body.error.code).toBe('invalid_cursor')
    expect(livePage.body.next_cursor).toBeNull()
    expect((await w.call('GET', '/v1/audit-events', { key: w.keys.test.publishable_key })).status).toBe(403)
    expect((await w.call('GET', '/v1/audit-events')).status).toBe(401)
    expect((await w.call('POST', '/v1/audit-events', { key: sk(), body: {} })).status).toBe(405)
    expect(await count()).toBe(before)
  })

  it('refuses a cursor with a list of other filters than its own (400 invalid_cursor)', async () => {
    for (const number of ['5555555555554444', '378282246310005']) {
      const made = await w.call('POST', '/v1/tokens', { key: sk(), body: { card: await w.card(number, number.length === 15 ? { cvc: '1234' } : {}) } })
      expect(made.status).toBe(201)
    }
    const testPage = await w.call('GET', '/v1/audit-events?limit=1', { key: sk() })
    const filtered = `action=token.created&token=${encodeURIComponent(testPage.body.data[0].token)}`
    for (const other of ['action=token.created', 'created_gte=2000-01-01T00:00:00Z', filtered]) {
      const res = await w.call('GET', `/v1/audit-events?${other}&cursor=${testPage.body.next_cursor}`, { key: sk() })
      expect(res.status, other).toBe(400)
      expect(res.body.error.code, other).toBe('invalid_cursor')
    }
    const actionPage = await w.call('GET', '/v1/audit-events?limit=1&action=token.created', { key: sk() })
    expect((await w.call('GET', `/v1/audit-events?cursor=${actionPage.body.next_cursor}`, { key: sk() })).body.error.code).toBe('invalid_cursor')
    expect((await w.call('GET', `/v1/audit-events?limit=1&action=token.created&cursor=${actionPage.body.next_cursor}`, { key: sk() })).status).toBe(200)
  })
})
