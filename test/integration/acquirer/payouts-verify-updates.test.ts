// Payouts, zero-amount verifications and the account updater, through the HTTP client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AcquirerDeclinedError, AcquirerRejectedError, AcquirerTimeoutError, AcquirerUnavailableError } from '../../../backend/acquirer/client.js'
import { ManualClock } from '../../../backend/clock.js'
import { cardDetails, startTestAcquirer, type TestAcquirer } from '../../helpers/acquirer.js'

const clock = new ManualClock('2030-03-10T12:00:00.000Z')
let acquirer: TestAcquirer
beforeAll(async () => {
  acquirer = await startTestAcquirer({ clock, hangMs: 2_000 })
})
afterAll(() => acquirer.close())

const card = (number: string, cvc?: string) => cardDetails(number, { expMonth: 6, expYear: 2032, cvc })

describe('payouts', () => {
  it('pays out to an approving card', async () => {
    const payout = await acquirer.client().payout({ card: card('4242424242424242'), amount: 2500, currency: 'EUR' })
    expect(payout).toMatchObject({ status: 'paid', amount: 2500, currency: 'EUR', createdAt: clock.now() })
    expect(payout.reference).toMatch(/^po_/)
  })

  it.each([
    ['4000000000000002', 'do_not_honor'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000000000000069', 'expired_card'],
  ])('declines a payout to %s with %s', async (number, code) => {
    const error = await acquirer.client().payout({ card: card(number), amount: 2500, currency: 'EUR' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerDeclinedError)
    expect(error).toMatchObject({ declineCode: code, reference: expect.stringMatching(/^po_/) })
  })

  it('pays out to the CVC-mismatch card, since a payout carries no CVC', async () => {
    expect((await acquirer.client().payout({ card: card('4000000000000127'), amount: 100, currency: 'EUR' })).status).toBe('paid')
  })

  it('fails a payout to the payout_not_supported card for good: 422 with the recorded reference, replayed under the same key', async () => {
    const call = () => acquirer.client().payout({ card: card('4000000000006108'), amount: 2500, currency: 'EUR' }, { idempotencyKey: 'payout-fail-1' }).catch((e: unknown) => e)
    const error = await call()
    expect(error).toBeInstanceOf(AcquirerRejectedError)
    expect(error).toMatchObject({ status: 422, acquirerCode: 'payout_not_supported', reference: expect.stringMatching(/^po_/) })
    const payouts = acquirer.running.ledger.size.payouts
    // A recorded outcome: the same key answers the same refusal and records nothing new.
    expect(await call()).toMatchObject({ acquirerCode: 'payout_not_supported', reference: (error as AcquirerRejectedError).reference })
    expect(acquirer.running.ledger.size.payouts).toBe(payouts)
    // Only payouts: the card approves an authorization.
    expect((await acquirer.client().authorize({ card: card('4000000000006108'), amount: 100, currency: 'EUR', initiator: 'merchant', capture: true })).status).toBe('captured')
  })

  it('answers the processing-error and hang cards with unavailable and timeout', async () => {
    const failed = await acquirer.client().payout({ card: card('4000000000000119'), amount: 100, currency: 'EUR' }).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(AcquirerUnavailableError)
    const held = await acquirer.client({ timeoutMs: 200 }).payout({ card: card('4000000000005001'), amount: 100, currency: 'EUR' }).catch((e: unknown) => e)
    expect(held).toBeInstanceOf(AcquirerTimeoutError)
  })
})

describe('verify (zero-amount authorization)', () => {
  it('approves and checks the CVC when one is sent', async () => {
    const verification = await acquirer.client().verify({ card: card('4242424242424242', '123') })
    expect(verification).toMatchObject({ cvcCheck: 'pass', createdAt: clock.now() })
    expect(verification.reference).toMatch(/^ver_/)
  })

  it('approves without a CVC as unchecked', async () => {
    expect((await acquirer.client().verify({ card: card('4242424242424242') })).cvcCheck).toBe('unchecked')
  })

  it.each([
    ['4000000000009995', undefined, 'insufficient_funds'],
    ['4000000000000002', undefined, 'do_not_honor'],
    ['4000000000000069', undefined, 'expired_card'],
    ['4000000000000127', '123', 'incorrect_cvc'],
    ['4242424242424242', '999', 'incorrect_cvc'],
  ])('declines %s (cvc %s) with %s', async (number, cvc, code) => {
    const error = await acquirer.client().verify({ card: card(number, cvc) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerDeclinedError)
    expect(error).toMatchObject({ declineCode: code, reference: expect.stringMatching(/^ver_/) })
  })

  it('declines a card whose expiry month ended by the acquirer clock', async () => {
    const error = await acquirer.client().verify({ card: cardDetails('4242424242424242', { expMonth: 2, expYear: 2030 }) }).catch((e: unknown) => e)
    expect(error).toMatchObject({ declineCode: 'expired_card' })
    expect((await acquirer.client().verify({ card: cardDetails('4242424242424242', { expMonth: 3, expYear: 2030 }) })).cvcCheck).toBe('unchecked')
  })

  it('answers the processing-error card with unavailable and the hang card with timeout', async () => {
    expect(await acquirer.client().verify({ card: card('4000000000000119') }).catch((e: unknown) => e)).toBeInstanceOf(AcquirerUnavailableError)
    expect(await acquirer.client({ timeoutMs: 200 }).verify({ card: card('4000000000005001') }).catch((e: unknown) => e)).toBeInstanceOf(AcquirerTimeoutError)
  })
})

describe('account updates', () => {
  it('publishes the documented updates once the cards are seen, and only since the given time', async () => {
    clock.set('2030-04-01T00:00:00.000Z')
    const before = await acquirer.client().accountUpdates(new Date('2030-04-01T00:00:00.000Z'))
    expect(before.updates).toEqual([])
    expect(before.asOf).toEqual(clock.now())

    clock.set('2030-04-02T00:00:00.000Z')
    await acquirer.client().verify({ card: card('4000000000005100') })
    clock.set('2030-04-03T00:00:00.000Z')
    await acquirer.client().authorize({ card: card('4000000000005209'), amount: 100, currency: 'EUR', initiator: 'merchant', capture: true })
    clock.set('2030-04-04T00:00:00.000Z')
    await acquirer.client().payout({ card: card('4000000000005407'), amount: 100, currency: 'EUR' })
    await acquirer.client().verify({ card: card('4000000000005100') })

    const all = await acquirer.client().accountUpdates(before.asOf)
    expect(all.updates.map((u) => u.kind)).toEqual(['new_expiry', 'new_number', 'closed'])
    const [expiry, number, closed] = all.updates
    expect(expiry).toMatchObject({ kind: 'new_expiry', expMonth: 6, expYear: 2035, occurredAt: new Date('2030-04-02T00:00:00.000Z') })
    expect(expiry?.number.reveal()).toBe('4000000000005100')
    expect(number).toMatchObject({ kind: 'new_number', expMonth: 6, expYear: 2035 })
    expect(number?.number.reveal()).toBe('4000000000005209')
    expect(number?.kind === 'new_number' && number.newNumber.reveal()).toBe('4000000000005308')
    expect(closed).toMatchObject({ kind: 'closed', occurredAt: new Date('2030-04-04T00:00:00.000Z') })
    expect(closed?.number.reveal()).toBe('4000000000005407')

    const later = await acquirer.client().accountUpdates(new Date('2030-04-03T00:00:00.000Z'))
    expect(later.updates.map((u) => u.id)).toEqual([number?.id, closed?.id])
  })

  it('keeps card numbers masked when an update is printed or serialised', async () => {
    const { updates } = await acquirer.client().accountUpdates(new Date(0))
    const text = JSON.stringify(updates) + String(updates[0]?.number)
    expect(text).not.toMatch(/4000000000005(100|209|308|407)/)
  })

  it('lets the replacement number approve', async () => {
    expect((await acquirer.client().verify({ card: card('4000000000005308') })).cvcCheck).toBe('unchecked')
  })
})
