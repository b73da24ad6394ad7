// The hosted payment page's own call (page secret), against the sandbox acquirer process: paid
// once, declines, a retried try after a crash, the completed event, cards saved for the page's
// customer. Creating, reading, the page itself and expiry: payment-pages.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPROVE, counts, eventsOf, startWorld, type World } from './support/world.js'
import { attempt, CANCEL_URL, createPage, OffsetClock, openPage, RETURN_URL } from './support/pages.js'

let w: World
beforeAll(async () => {
  w = await startWorld({ clock: new OffsetClock() })
})
afterAll(() => w?.close())

const DECLINE = '4000000000000002'

describe('paying through the page', () => {
  it('charges once, answers the redirect, completes the page with its payment and emits payment_page.completed', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 1250, currency: 'EUR', cancel_url: CANCEL_URL })
    const opened = await openPage(page.url)
    expect(opened.status).toBe(200)
    expect(opened.secret).toMatch(/^pps_/)
    const res = await attempt(w.call, page.id, opened.secret, { card: await w.card(APPROVE) })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toEqual({ status: 'completed', redirect_url: `https://shop.example/orders/42/return?from=pay&payment_page=${page.id}` })
    const read = (await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body
    expect(read).toMatchObject({ status: 'completed', payment: { object: 'payment', status: 'captured', amount: 1250, currency: 'EUR', initiator: 'customer', token: null } })
    expect(read.completed_at).not.toBeNull()
    expect(read.token).toBeUndefined()
    const event = (await eventsOf(w, 'payment_page.completed')).find((e) => e.data.object.id === page.id)
    expect(event?.data.object).toEqual(read)
    expect((await eventsOf(w, 'payment.captured')).some((e) => e.data.object.id === read.payment.id)).toBe(true)
  })

  it('is used once: a second attempt is refused and the page says it was used', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 300, currency: 'EUR' })
    const { secret } = await openPage(page.url)
    expect((await attempt(w.call, page.id, secret, { card: await w.card(APPROVE) })).status).toBe(200)
    const before = await counts(w.vault)
    const again = await attempt(w.call, page.id, secret, { card: await w.card(APPROVE) })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('payment_page_completed')
    expect(await counts(w.vault)).toEqual(before)
    const reopened = await openPage(page.url)
    expect(reopened.status).toBe(409)
    expect(reopened.secret).toBeNull()
    expect(reopened.html).toContain('This page has been used')
    expect(reopened.html).not.toContain('id="card-slot"')
  })

  it('answers the payment already made when a try is retried after a crash, and charges nothing more', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 777, currency: 'EUR' })
    const { secret } = await openPage(page.url)
    expect((await attempt(w.call, page.id, secret, { card: await w.card(APPROVE) })).status).toBe(200)
    const paid = (await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body.payment
    // As if the process died after the payment's transaction and before the page's.
    const db = w.vault.running.vault.store.db
    await db.updateTable('payment_pages').set({ status: 'open', payment_id: null, completed_at: null }).where('id', '=', page.id).execute()
    const before = await counts(w.vault)
    const retry = await attempt(w.call, page.id, secret, { card: await w.card(APPROVE) })
    expect(retry.status).toBe(200)
    const read = (await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body
    expect(read).toMatchObject({ status: 'completed', payment: { id: paid.id, status: 'captured' } })
    const after = await counts(w.vault)
    expect(after.payments).toBe(before.payments)
  })

  it('lets only one of two simultaneous attempts through', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 700, currency: 'EUR' })
    const { secret } = await openPage(page.url)
    const [a, b] = await Promise.all([attempt(w.call, page.id, secret, { card: await w.card(APPROVE) }), attempt(w.call, page.id, secret, { card: await w.card(APPROVE) })])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const payments = await w.vault.running.vault.store.db.selectFrom('payments').select('id').where('amount', '=', 700).execute()
    expect(payments).toHaveLength(1)
  })

  it('shows a decline to the shopper and stays open; the third decline fails the page', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 900, currency: 'EUR' })
    const { secret } = await openPage(page.url)
    for (let i = 1; i <= 2; i++) {
      const res = await attempt(w.call, page.id, secret, { card: await w.card(DECLINE) })
      expect(res.status).toBe(402)
      expect(res.body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'do_not_honor' })
      expect((await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body.status).toBe('open')
    }
    // Opened again after a decline, the page says so above the card field.
    const again = await openPage(page.url)
    expect(again.html).toContain('<p id="page-error" class="page-error" role="alert">Your card was declined. Try another card, or contact your bank.</p>')
    const third = await attempt(w.call, page.id, again.secret, { card: await w.card(DECLINE) })
    expect(third.status).toBe(200)
    expect(third.body).toEqual({ status: 'failed', redirect_url: `${RETURN_URL}&payment_page=${page.id}` })
    const read = (await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body
    expect(read).toMatchObject({ status: 'failed', payment: { status: 'declined', decline_code: 'do_not_honor' } })
    expect((await eventsOf(w, 'payment_page.completed')).some((e) => e.data.object.id === page.id)).toBe(false)
    expect((await openPage(page.url)).html).toContain('The payment did not go through')
  })

  it('refuses a card error without counting it, and changes nothing', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 100, currency: 'EUR' })
    const { secret } = await openPage(page.url)
    const before = await counts(w.vault)
    const res = await attempt(w.call, page.id, secret, { card: await w.card(APPROVE, { exp_month: 1, exp_year: 2020 }) })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('expired_card')
    expect(await counts(w.vault)).toEqual(before)
    expect((await attempt(w.call, page.id, secret, { card: await w.card(APPROVE) })).status).toBe(200)
  })
})

describe('saving cards through the page', () => {
  it('tokenize mode saves the card for the customer and answers the token', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'tokenize', customer_id: 'cus_tok_1' })
    expect(page).toMatchObject({ amount: null, currency: null, capture: null, save_card: true })
    const { secret } = await openPage(page.url)
    const res = await attempt(w.call, page.id, secret, { card: await w.card('5555555555554444') })
    expect(res.status).toBe(200)
    const read = (await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body
    expect(read.status).toBe('completed')
    expect(read.payment).toBeUndefined()
    const token = (await w.call('GET', `/v1/tokens/${read.token}`, { key: w.sk() })).body
    expect(token).toMatchObject({ status: 'active', customer_id: 'cus_tok_1', card: { brand: 'mastercard', last4: '4444' } })
  })

  it('a purchase with save_card keeps the card; the next page offers it one-click', async () => {
    const first = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 2000, currency: 'RON', customer_id: 'cus_save_1', save_card: true })
    const opened = await openPage(first.url)
    expect(opened.html).toContain('Your card will be saved')
    expect((await attempt(w.call, first.id, opened.secret, { card: await w.card(APPROVE) })).status).toBe(200)
    const done = (await w.call('GET', `/v1/payment-pages/${first.id}`, { key: w.sk() })).body
    expect(done.token).toBeTruthy()
    expect(done.payment.token).toBe(done.token)

    const second = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 1500, currency: 'RON', customer_id: 'cus_save_1' })
    const page = await openPage(second.url)
    expect(page.savedCards).toEqual([{ token: done.token, card: expect.objectContaining({ brand: 'visa', last4: APPROVE.slice(-4) }) }])
    const res = await attempt(w.call, second.id, page.secret, { token: done.token })
    expect(res.status).toBe(200)
    const paid = (await w.call('GET', `/v1/payment-pages/${second.id}`, { key: w.sk() })).body
    expect(paid.payment).toMatchObject({ status: 'captured', token: done.token, initiator: 'customer', amount: 1500 })
    // The saved card's use is in the audit chain, as the payment code records it, for the key that made the page.
    const audit = (await w.call('GET', `/v1/audit-events?token=${done.token}&limit=100`, { key: w.sk() })).body.data
    expect(audit.find((e: any) => e.payment === paid.payment.id)).toMatchObject({ action: 'payment.created', actor: { type: 'key' } })
  })

  it("refuses another customer's saved card, and a token on a page without a customer", async () => {
    const other = await w.tokenize(APPROVE, { customerId: 'cus_someone_else' })
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 100, currency: 'EUR', customer_id: 'cus_save_2' })
    const { secret, savedCards } = await openPage(page.url)
    expect(savedCards).toEqual([])
    const before = await counts(w.vault)
    const res = await attempt(w.call, page.id, secret, { token: other.token })
    expect(res.status).toBe(400)
    expect(res.body.error.param).toBe('token')
    const bare = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 100, currency: 'EUR' })
    const opened = await openPage(bare.url)
    expect((await attempt(w.call, bare.id, opened.secret, { token: other.token })).status).toBe(400)
    expect(await counts(w.vault)).toEqual(before)
  })
})

describe("the page's call and its secret", () => {
  it('needs the current page secret: none, a wrong one, or one from before the page was opened again is a 401', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 100, currency: 'EUR' })
    const first = await openPage(page.url)
    const card = { card: await w.card(APPROVE) }
    expect((await attempt(w.call, page.id, null, card)).body.error.code).toBe('missing_page_secret')
    expect((await attempt(w.call, page.id, 'pps_' + 'A'.repeat(43), card)).status).toBe(401)
    const second = await openPage(page.url)
    expect(second.secret).not.toBe(first.secret)
    const stale = await attempt(w.call, page.id, first.secret, card)
    expect(stale.status).toBe(401)
    expect(stale.body.error.code).toBe('invalid_page_secret')
    // A secret key is no page secret either.
    expect((await attempt(w.call, page.id, null, card, { authorization: `Bearer ${w.sk()}` })).status).toBe(401)
    expect((await attempt(w.call, page.id, second.secret, { card: await w.card(APPROVE) })).status).toBe(200)
  })

  it('refuses a call from a page on another origin, and a body with both or neither source', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 100, currency: 'EUR' })
    const { secret } = await openPage(page.url)
    const foreign = await attempt(w.call, page.id, secret, { card: await w.card(APPROVE) }, { origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect((await attempt(w.call, page.id, secret, {})).status).toBe(400)
    expect((await attempt(w.call, page.id, secret, { card: await w.card(APPROVE), token: 'tok' })).status).toBe(400)
    expect((await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body.status).toBe('open')
  })
})
