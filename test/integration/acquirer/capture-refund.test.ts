// The sandbox keeps authorizations: captures go up to the authorized amount, refunds up to the
// captured amount, and each operation checks the authorization's state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AcquirerRejectedError, type Authorization } from '../../../backend/acquirer/client.js'
import { cardDetails, startTestAcquirer, type TestAcquirer } from '../../helpers/acquirer.js'

let acquirer: TestAcquirer
beforeAll(async () => {
  acquirer = await startTestAcquirer()
})
afterAll(() => acquirer.close())

const authorize = (amount: number, capture = false): Promise<Authorization> =>
  acquirer.client().authorize({ card: cardDetails('4242424242424242'), amount, currency: 'USD', initiator: 'merchant', capture })

async function rejection(promise: Promise<unknown>): Promise<AcquirerRejectedError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(AcquirerRejectedError)
  return error as AcquirerRejectedError
}

describe('capture', () => {
  it('captures the whole authorized amount by default', async () => {
    const auth = await authorize(5000)
    const captured = await acquirer.client().capture(auth.reference)
    expect(captured).toMatchObject({ reference: auth.reference, status: 'captured', amount: 5000, amountCaptured: 5000 })
  })

  it('captures part of the authorized amount', async () => {
    const auth = await authorize(5000)
    expect(await acquirer.client().capture(auth.reference, { amount: 3000 })).toMatchObject({ status: 'captured', amountCaptured: 3000 })
  })

  it('refuses to capture more than was authorized (400 amount_too_large) and keeps the authorization open', async () => {
    const auth = await authorize(5000)
    expect(await rejection(acquirer.client().capture(auth.reference, { amount: 5001 }))).toMatchObject({ status: 400, code: 'amount_too_large', param: 'amount' })
    expect(await acquirer.client().capture(auth.reference, { amount: 5000 })).toMatchObject({ status: 'captured', amountCaptured: 5000 })
  })

  it('captures once: a second capture is 409 invalid_state', async () => {
    const auth = await authorize(5000)
    await acquirer.client().capture(auth.reference, { amount: 1000 })
    expect(await rejection(acquirer.client().capture(auth.reference, { amount: 1000 }))).toMatchObject({ status: 409, code: 'invalid_state' })
  })

  it('refuses to capture a sale that was captured at authorization', async () => {
    const sale = await authorize(5000, true)
    expect(await rejection(acquirer.client().capture(sale.reference))).toMatchObject({ status: 409, code: 'invalid_state' })
  })

  it('answers 404 resource_missing for an unknown reference', async () => {
    expect(await rejection(acquirer.client().capture('auth_000000000000000000000000'))).toMatchObject({ status: 404, code: 'resource_missing' })
  })
})

describe('refund', () => {
  it('refunds in parts up to the captured amount, then is refunded', async () => {
    const sale = await authorize(5000, true)
    expect(await acquirer.client().refund(sale.reference, { amount: 2000 })).toMatchObject({ status: 'partially_refunded', amountRefunded: 2000 })
    expect(await acquirer.client().refund(sale.reference, { amount: 1000 })).toMatchObject({ status: 'partially_refunded', amountRefunded: 3000 })
    expect(await acquirer.client().refund(sale.reference)).toMatchObject({ status: 'refunded', amountRefunded: 5000, amountCaptured: 5000 })
  })

  it('refunds at most what was captured, not what was authorized', async () => {
    const auth = await authorize(5000)
    await acquirer.client().capture(auth.reference, { amount: 3000 })
    expect(await rejection(acquirer.client().refund(auth.reference, { amount: 3001 }))).toMatchObject({ status: 400, code: 'amount_too_large' })
    expect(await acquirer.client().refund(auth.reference)).toMatchObject({ status: 'refunded', amountRefunded: 3000 })
  })

  it('refuses to refund an authorization that was not captured (409 invalid_state)', async () => {
    const auth = await authorize(5000)
    expect(await rejection(acquirer.client().refund(auth.reference))).toMatchObject({ status: 409, code: 'invalid_state' })
  })

  it('refuses to refund a fully refunded sale (409 invalid_state)', async () => {
    const sale = await authorize(700, true)
    await acquirer.client().refund(sale.reference)
    expect(await rejection(acquirer.client().refund(sale.reference, { amount: 1 }))).toMatchObject({ status: 409, code: 'invalid_state' })
  })

  it('keeps the state the API reports on GET', async () => {
    const sale = await authorize(900, true)
    await acquirer.client().refund(sale.reference, { amount: 400 })
    const res = await fetch(`${acquirer.url}/v1/authorizations/${sale.reference}`, { headers: { Authorization: 'Bearer acq_dev_sandbox_key' } })
    expect(await res.json()).toMatchObject({ id: sale.reference, status: 'partially_refunded', amount_captured: 900, amount_refunded: 400, card: { brand: 'visa', last4: '4242' } })
  })
})
