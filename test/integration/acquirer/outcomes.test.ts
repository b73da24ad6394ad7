// Every documented outcome of the sandbox acquirer, driven through the HTTP AcquirerClient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AcquirerDeclinedError, AcquirerRejectedError, AcquirerTimeoutError, AcquirerUnavailableError } from '../../../backend/acquirer/client.js'
import type { AuthorizeRequest } from '../../../backend/acquirer/client.js'
import { cardDetails, startTestAcquirer, type TestAcquirer } from '../../helpers/acquirer.js'

let acquirer: TestAcquirer
beforeAll(async () => {
  acquirer = await startTestAcquirer({ hangMs: 5_000 })
})
afterAll(() => acquirer.close())

const sale = (number: string, overrides: Partial<AuthorizeRequest> = {}, cvc?: string): AuthorizeRequest => ({
  card: cardDetails(number, { cvc }),
  amount: 1250,
  currency: 'EUR',
  initiator: 'customer',
  capture: true,
  ...overrides,
})

async function declineCodeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AcquirerDeclinedError)
  const declined = error as AcquirerDeclinedError
  expect(declined.status).toBe(402)
  expect(declined.toBody()).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: declined.declineCode })
  expect(declined.reference).toMatch(/^(auth|po|ver)_/)
  return declined.declineCode
}

describe('approvals', () => {
  it('approves and captures a sale on the sandbox approve card, checking the CVC', async () => {
    const auth = await acquirer.client().authorize(sale('4000000000000077', {}, '123'))
    expect(auth).toMatchObject({ status: 'captured', amount: 1250, amountCaptured: 1250, amountRefunded: 0, currency: 'EUR', initiator: 'customer', cvcCheck: 'pass' })
    expect(auth.reference).toMatch(/^auth_[0-9a-f]{24}$/)
    expect(auth.createdAt).toBeInstanceOf(Date)
  })

  it('authorizes without capture when capture is false', async () => {
    const auth = await acquirer.client().authorize(sale('4000000000000077', { capture: false }))
    expect(auth).toMatchObject({ status: 'authorized', amountCaptured: 0, cvcCheck: 'unchecked' })
  })

  it.each(['4242424242424242', '5555555555554444', '378282246310005', '6011111111111117', '3566002020360505'])(
    'approves the vault documented test card %s',
    async (number) => {
      const auth = await acquirer.client().authorize(sale(number, { initiator: 'merchant' }))
      expect(auth.status).toBe('captured')
    },
  )

  it('approves a merchant-initiated authorization on the CVC-mismatch card, which sends no CVC', async () => {
    const auth = await acquirer.client().authorize(sale('4000000000000127', { initiator: 'merchant' }))
    expect(auth).toMatchObject({ status: 'captured', initiator: 'merchant', cvcCheck: 'unchecked' })
  })
})

describe('declines by card number', () => {
  it.each([
    ['4000000000009995', 'insufficient_funds'],
    ['4000000000000002', 'do_not_honor'],
    ['4000000000000069', 'expired_card'],
  ])('declines %s with %s', async (number, code) => {
    expect(await declineCodeOf(acquirer.client().authorize(sale(number)))).toBe(code)
  })

  it('declines the CVC-mismatch card with incorrect_cvc when a CVC is sent', async () => {
    expect(await declineCodeOf(acquirer.client().authorize(sale('4000000000000127', {}, '123')))).toBe('incorrect_cvc')
  })

  it.each([
    ['4242424242424242', '999'],
    ['378282246310005', '9999'],
  ])('declines %s with incorrect_cvc for the documented CVC %s', async (number, cvc) => {
    expect(await declineCodeOf(acquirer.client().authorize(sale(number, {}, cvc)))).toBe('incorrect_cvc')
  })

  it('declines any card whose expiry month has ended with expired_card', async () => {
    const lastYear = new Date().getUTCFullYear() - 1
    expect(await declineCodeOf(acquirer.client().authorize(sale('4242424242424242', { card: cardDetails('4242424242424242', { expYear: lastYear }) })))).toBe('expired_card')
  })

  it('declines a number that fails Luhn with incorrect_number', async () => {
    expect(await declineCodeOf(acquirer.client().authorize(sale('4242424242424241')))).toBe('incorrect_number')
  })

  it('records a declined authorization that cannot be captured', async () => {
    const error = (await acquirer.client().authorize(sale('4000000000000002', { capture: false })).catch((e: unknown) => e)) as AcquirerDeclinedError
    const capture = await acquirer.client().capture(error.reference as string).catch((e: unknown) => e)
    expect(capture).toBeInstanceOf(AcquirerRejectedError)
    expect(capture).toMatchObject({ status: 409, code: 'invalid_state' })
  })
})

describe('outcomes by amount (2000.xx answers ISO 8583 code xx)', () => {
  it.each([
    [200005, 'do_not_honor'],
    [200051, 'insufficient_funds'],
    [200054, 'expired_card'],
  ])('declines amount %i with %s on an approving card', async (amount, code) => {
    expect(await declineCodeOf(acquirer.client().authorize(sale('4242424242424242', { amount })))).toBe(code)
  })

  it('answers amount 200096 with a processing error: unavailable, 502', async () => {
    const error = await acquirer.client().authorize(sale('4242424242424242', { amount: 200096 })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerUnavailableError)
    expect(error).toMatchObject({ status: 502, type: 'api_error', code: 'acquirer_unavailable' })
  })

  it('holds amount 200091 past the client timeout: timeout, 504', async () => {
    const error = await acquirer.client({ timeoutMs: 200 }).authorize(sale('4242424242424242', { amount: 200091 })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerTimeoutError)
  })

  it('approves other amounts, including 2000.00', async () => {
    expect((await acquirer.client().authorize(sale('4242424242424242', { amount: 200000 }))).status).toBe('captured')
  })
})

describe('faults by card number', () => {
  it('answers the processing-error card with a 5xx that the client turns into unavailable (502 api_error)', async () => {
    const before = acquirer.running.ledger.size.authorizations
    const error = await acquirer.client().authorize(sale('4000000000000119')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerUnavailableError)
    expect((error as AcquirerUnavailableError).toBody()).toEqual({ type: 'api_error', code: 'acquirer_unavailable', message: expect.any(String) })
    expect((error as AcquirerUnavailableError).detail).toBe('status 500: processing_error')
    expect(acquirer.running.ledger.size.authorizations).toBe(before)
  })

  it('holds the hang card past a short client timeout: timeout (504 api_error), nothing recorded', async () => {
    const before = acquirer.running.ledger.size.authorizations
    const started = Date.now()
    const error = await acquirer.client({ timeoutMs: 250 }).authorize(sale('4000000000005001')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerTimeoutError)
    expect((error as AcquirerTimeoutError).toBody()).toMatchObject({ type: 'api_error', code: 'acquirer_timeout' })
    expect((error as AcquirerTimeoutError).status).toBe(504)
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(acquirer.running.ledger.size.authorizations).toBe(before)
  })
})

describe('refused requests', () => {
  it('refuses a CVC on a merchant-initiated authorization (400 cvc_not_allowed)', async () => {
    const error = await acquirer.client().authorize(sale('4242424242424242', { initiator: 'merchant' }, '123')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerRejectedError)
    expect(error).toMatchObject({ status: 400, code: 'acquirer_rejected', acquirerCode: 'cvc_not_allowed', param: 'card.cvc' })
  })

  it.each([
    [{ amount: 0 }, 'amount'],
    [{ amount: 12.5 }, 'amount'],
    [{ currency: 'eur' }, 'currency'],
    [{ currency: 'XYZ' }, 'currency'],
  ])('refuses %o with a 400 naming %s', async (overrides, param) => {
    const error = await acquirer.client().authorize(sale('4242424242424242', overrides as Partial<AuthorizeRequest>)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerRejectedError)
    expect(error).toMatchObject({ status: 400, code: 'parameter_invalid', param })
  })
})
