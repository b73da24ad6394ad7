// Stored credentials (seed 003): the first customer-initiated recurring payment stores the
// sandbox acquirer's network transaction id on the token; later merchant-initiated ones send
// it, and the acquirer declines one that does not carry it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { DEFAULT_ACQUIRER_KEY } from '../../../backend/acquirer/http-client.js'
import { PaymentObject } from '../../../backend/http/openapi/objects.js'
import { APPROVE, counts, startWorld, type World } from './support/world.js'

let w: World
beforeAll(async () => {
  w = await startWorld()
})
afterAll(() => w?.close())

const get = async (token: string) => (await w.call('GET', `/v1/tokens/${token}`, { key: w.sk() })).body
const atAcquirer = async (reference: string) => (await fetch(`${w.acquirer.url}/v1/authorizations/${reference}`, { headers: { authorization: `Bearer ${DEFAULT_ACQUIRER_KEY}` } })).json()

describe('recurring payments', () => {
  it('links a card saved by the first customer-initiated payment, and later merchant-initiated payments send the id', async () => {
    const first = await w.pay({ card: await w.card(APPROVE), save_card: true, amount: 999, currency: 'EUR', recurring: { type: 'recurring' } })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ initiator: 'customer', recurring: { type: 'recurring' }, network_transaction_id: expect.stringMatching(/^ntid_/) })
    const ntid = first.body.network_transaction_id
    expect((await get(first.body.token)).network_transaction_id).toBe(ntid)
    expect((await w.call('GET', `/v1/payments/${first.body.id}`, { key: w.sk() })).body).toEqual(first.body)
    // The OpenAPI document describes every field of a stored-credential payment.
    expect(v.is(PaymentObject, first.body)).toBe(true)
    expect(Object.keys(first.body).filter((key) => !(key in PaymentObject.entries))).toEqual([])

    const next = await w.pay({ token: first.body.token, amount: 999, currency: 'EUR', recurring: { type: 'recurring' } })
    expect(next.status).toBe(201)
    expect(next.body).toMatchObject({ initiator: 'merchant', status: 'captured', recurring: { type: 'recurring' }, network_transaction_id: ntid })
    expect(await atAcquirer(next.body.acquirer_reference)).toMatchObject({ initiator: 'merchant', recurring_type: 'recurring', network_transaction_id: ntid })
  })

  it('a customer-initiated one-click payment by token links an unlinked token', async () => {
    const token = await w.tokenize(APPROVE)
    expect(token.network_transaction_id).toBeNull()
    const first = await w.pay({ token: token.token, initiator: 'customer', amount: 500, currency: 'EUR', recurring: { type: 'unscheduled' } })
    expect(first.status).toBe(201)
    expect((await get(token.token)).network_transaction_id).toBe(first.body.network_transaction_id)
    const later = await w.pay({ token: token.token, amount: 700, currency: 'EUR', recurring: { type: 'installment' } })
    expect(later.body).toMatchObject({ status: 'captured', network_transaction_id: first.body.network_transaction_id })
  })

  it('a merchant-initiated recurring payment without its first is declined by the acquirer: missing_network_transaction_id', async () => {
    const token = await w.tokenize(APPROVE)
    const before = await counts(w.vault)
    const res = await w.pay({ token: token.token, amount: 1_000, currency: 'EUR', recurring: { type: 'recurring' } })
    expect(res.status).toBe(402)
    expect(res.body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'missing_network_transaction_id', payment: expect.stringMatching(/^pay_/) })
    const stored = (await w.call('GET', `/v1/payments/${res.body.error.payment}`, { key: w.sk() })).body
    expect(stored).toMatchObject({ status: 'declined', decline_code: 'missing_network_transaction_id', recurring: { type: 'recurring' }, network_transaction_id: null })
    expect((await counts(w.vault)).payments).toBe(before.payments + 1)
    expect((await get(token.token)).network_transaction_id).toBeNull()
    // Not a stored-credential payment: no link is needed, and none is made.
    const plain = await w.pay({ token: token.token, amount: 1_000, currency: 'EUR' })
    expect(plain.status).toBe(201)
    expect(plain.body.recurring).toBeUndefined()
  })

  it('refuses an unknown recurring type or extra fields, storing nothing', async () => {
    const token = await w.tokenize(APPROVE)
    const before = await counts(w.vault)
    for (const recurring of [{ type: 'weekly' }, { type: 'recurring', network_transaction_id: 'x' }, 'recurring', {}]) {
      const res = await w.pay({ token: token.token, amount: 100, currency: 'EUR', recurring })
      expect(res.status, JSON.stringify(recurring)).toBe(400)
      expect(res.body.error.param).toMatch(/^recurring/)
    }
    expect(await counts(w.vault)).toEqual(before)
  })
})
