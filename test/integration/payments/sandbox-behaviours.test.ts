// Every behaviour of docs/acquirer.md, reached through the vault's API with the sandbox running
// as its own process: acquirer verification on tokenize, payments by card and by token, payouts
// and token verification, for each sandbox card, then the amount and CVC rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SANDBOX_TEST_CARDS, type SandboxBehaviour } from '../../../demo/acquirer/test-cards.js'
import { liveCardNumber } from '../../helpers/cards.js'
import { APPROVE, counts, startWorld, type World } from './support/world.js'

let w: World
beforeAll(async () => {
  w = await startWorld()
})
afterAll(() => w?.close())

type Expected =
  | { status: 201 | 200 }
  | { status: 402; decline: string }
  | { status: 502; code: 'acquirer_unavailable' }
  | { status: 504; code: 'acquirer_timeout' }
  | { status: 502; code: 'payout_failed'; failure: string }

const ok: Expected = { status: 201 }
const declined = (decline: string): Expected => ({ status: 402, decline })
const unavailable: Expected = { status: 502, code: 'acquirer_unavailable' }
const timeout: Expected = { status: 504, code: 'acquirer_timeout' }

/** What each operation answers, by the card's behaviour (docs/acquirer.md, "By card number"). */
/** `byCard`: a customer-initiated card payment, when it differs (3-D Secure runs on those only); `payout` likewise. */
const EXPECTED: Record<SandboxBehaviour, { withCvc: Expected; withoutCvc: Expected; byCard?: Expected; payout?: Expected }> = {
  approve: { withCvc: ok, withoutCvc: ok },
  insufficient_funds: { withCvc: declined('insufficient_funds'), withoutCvc: declined('insufficient_funds') },
  do_not_honor: { withCvc: declined('do_not_honor'), withoutCvc: declined('do_not_honor') },
  expired_card: { withCvc: declined('expired_card'), withoutCvc: declined('expired_card') },
  incorrect_cvc: { withCvc: declined('incorrect_cvc'), withoutCvc: ok },
  processing_error: { withCvc: unavailable, withoutCvc: unavailable },
  hang: { withCvc: timeout, withoutCvc: timeout },
  update_new_expiry: { withCvc: ok, withoutCvc: ok },
  update_new_number: { withCvc: ok, withoutCvc: ok },
  update_closed: { withCvc: ok, withoutCvc: ok },
  // 3-D Secure (automatic): the challenge card answers 201 requires_action (payments-3ds.test.ts walks it).
  three_d_secure_challenge: { withCvc: ok, withoutCvc: ok },
  three_d_secure_frictionless: { withCvc: ok, withoutCvc: ok },
  three_d_secure_failed: { withCvc: ok, withoutCvc: ok, byCard: declined('authentication_failed') },
  three_d_secure_unavailable: { withCvc: ok, withoutCvc: ok },
  payout_not_supported: { withCvc: ok, withoutCvc: ok, payout: { status: 502, code: 'payout_failed', failure: 'payout_not_supported' } },
}

/**
 * Checks the answer. A refusal stores nothing, except that a declined payment or payout, and a
 * failed payout, is recorded (`declineStores` rows) and a declined card payment has used its JWE.
 */
async function expectOutcome(run: () => Promise<{ status: number; body: any }>, expected: Expected, success = 201, declineStores = 0) {
  const before = await counts(w.vault)
  const res = await run()
  if (!('decline' in expected) && !('code' in expected)) {
    expect(res.status, JSON.stringify(res.body)).toBe(success)
    return res.body
  }
  expect(res.status, JSON.stringify(res.body)).toBe(expected.status)
  const after = await counts(w.vault)
  if (expected.status === 402) {
    expect(res.body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: expected.decline })
    expect(after.payments).toBe(before.payments + declineStores)
    expect(after.seen_jtis - before.seen_jtis).toBeLessThanOrEqual(declineStores)
  } else if ('failure' in expected) {
    expect(res.body.error).toMatchObject({ type: 'api_error', code: 'payout_failed', failure_code: expected.failure })
    expect(after.payments).toBe(before.payments + declineStores)
  } else {
    expect(res.body.error).toMatchObject({ type: 'api_error', code: expected.code })
    expect(after.payments).toBe(before.payments)
    // The JWE's claim is withdrawn: the same request may be retried.
    expect(after.seen_jtis).toBe(before.seen_jtis)
  }
  expect(after.tokens).toBe(before.tokens)
  return res.body
}

describe.each(SANDBOX_TEST_CARDS.map((card) => [card.number, card.behaviour] as const))('sandbox card %s (%s) through the vault', (number, behaviour) => {
  const expected = EXPECTED[behaviour]
  let token: string

  beforeAll(async () => {
    // Basic verification stores every sandbox card, so the token operations can reach the acquirer.
    token = (await w.tokenize(number)).token
  })

  it('tokenize with acquirer verification (CVC 123 sent)', async () => {
    const body = await expectOutcome(async () => w.call('POST', '/v1/tokens', { key: w.sk(), body: { card: await w.card(number), verification: 'acquirer' } }), expected.withCvc)
    if (expected.withCvc.status === 201) expect(body.verification).toEqual({ strategy: 'acquirer', result: 'passed' })
  })

  it('tokenize with acquirer verification, no CVC', async () => {
    await expectOutcome(async () => w.call('POST', '/v1/tokens', { key: w.sk(), body: { card: await w.card(number, { cvc: undefined }), verification: 'acquirer' } }), expected.withoutCvc)
  })

  it('pay by card, customer-initiated (CVC sent)', async () => {
    const byCard = expected.byCard ?? expected.withCvc
    const body = await expectOutcome(async () => w.pay({ card: await w.card(number), amount: 1000, currency: 'EUR' }), byCard, 201, 1)
    if (byCard.status === 402) expect(body.error.payment).toMatch(/^pay_/)
  })

  it('pay by token, merchant-initiated (no CVC)', async () => {
    await expectOutcome(() => w.pay({ token, amount: 1000, currency: 'EUR' }), expected.withoutCvc, 201, 1)
  })

  it('pay out to the token (no CVC)', async () => {
    const payout = expected.payout ?? expected.withoutCvc
    const body = await expectOutcome(() => w.call('POST', '/v1/payouts', { key: w.sk(), body: { token, amount: 1000, currency: 'EUR' } }), payout, 201, 1)
    if (payout.status === 402 || 'failure' in payout) expect(body.error.payout).toMatch(/^po_/)
  })

  it('verify the token (zero amount, no CVC)', async () => {
    const body = await expectOutcome(() => w.call('POST', `/v1/tokens/${token}/verify`, { key: w.sk() }), expected.withoutCvc, 200)
    if (expected.withoutCvc.status === 201) expect(body.verification).toEqual({ strategy: 'acquirer', result: 'passed' })
  })
})

describe('amount rules, on an approving token', () => {
  let token: string
  beforeAll(async () => {
    token = (await w.tokenize(APPROVE)).token
  })

  it.each([
    [200005, declined('do_not_honor')],
    [200051, declined('insufficient_funds')],
    [200054, declined('expired_card')],
    [200091, timeout],
    [200096, unavailable],
    [200000, ok],
  ] as const)('amount %i: payment and payout', async (amount, expected) => {
    await expectOutcome(() => w.pay({ token, amount, currency: 'EUR' }), expected, 201, 1)
    await expectOutcome(() => w.call('POST', '/v1/payouts', { key: w.sk(), body: { token, amount, currency: 'EUR' } }), expected, 201, 1)
  })
})

describe('CVC, expiry and number rules', () => {
  it('declines CVC 999 (and 9999 on American Express) as incorrect_cvc', async () => {
    await expectOutcome(async () => w.pay({ card: await w.card(APPROVE, { cvc: '999' }), amount: 100, currency: 'EUR' }), declined('incorrect_cvc'), 201, 1)
    await expectOutcome(async () => w.pay({ card: await w.card('378282246310005', { cvc: '9999' }), amount: 100, currency: 'EUR' }), declined('incorrect_cvc'), 201, 1)
    await expectOutcome(async () => w.call('POST', '/v1/tokens', { key: w.sk(), body: { card: await w.card(APPROVE, { cvc: '999' }), verification: 'acquirer' } }), declined('incorrect_cvc'))
  })

  it('sends no CVC on a merchant-initiated card payment, so the CVC card approves', async () => {
    const res = await w.pay({ card: await w.card('4000000000000127'), amount: 100, currency: 'EUR', initiator: 'merchant' })
    expect(res.status).toBe(201)
    expect(res.body.initiator).toBe('merchant')
  })

  it('refuses an ended expiry and a Luhn failure itself, before the acquirer could (422, nothing stored)', async () => {
    const before = await counts(w.vault)
    const expired = await w.pay({ card: await w.card(APPROVE, { exp_month: 1, exp_year: 2021 }), amount: 100, currency: 'EUR' })
    expect(expired.body.error).toMatchObject({ type: 'card_error', code: 'expired_card' })
    // Test mode takes test cards only, so a Luhn failure shows in live mode.
    const good = liveCardNumber()
    const bad = good.slice(0, -1) + ((Number(good.at(-1)) + 1) % 10)
    const luhn = await w.pay({ card: await w.card(bad), amount: 100, currency: 'EUR' }, { key: w.keys.live.secret_key })
    expect(luhn.status).toBe(422)
    expect(luhn.body.error).toMatchObject({ type: 'card_error', code: 'invalid_number' })
    expect(await counts(w.vault)).toEqual(before)
  })

  it('pays with a live card in live mode (the sandbox approves any other Luhn-valid number)', async () => {
    const res = await w.pay({ card: await w.card(liveCardNumber()), amount: 100, currency: 'EUR' }, { key: w.keys.live.secret_key })
    expect(res.status).toBe(201)
  })
})
