// The sandbox is idempotent on the caller's Idempotency-Key: a repeat gives the first answer
// and records nothing new; the same key with another request is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AcquirerDeclinedError, AcquirerRejectedError, AcquirerTimeoutError, type AuthorizeRequest } from '../../../backend/acquirer/client.js'
import { cardDetails, startTestAcquirer, type TestAcquirer } from '../../helpers/acquirer.js'

let acquirer: TestAcquirer
beforeAll(async () => {
  acquirer = await startTestAcquirer({ hangMs: 2_000 })
})
afterAll(() => acquirer.close())

const request = (number: string, amount = 1000): AuthorizeRequest => ({ card: cardDetails(number), amount, currency: 'GBP', initiator: 'merchant', capture: false })
const key = () => `test-${crypto.randomUUID()}`

describe('idempotency', () => {
  it('replays an authorization for a repeated key: same reference, one authorization recorded', async () => {
    const idempotencyKey = key()
    const first = await acquirer.client().authorize(request('4242424242424242'), { idempotencyKey })
    const count = acquirer.running.ledger.size.authorizations
    const second = await acquirer.client().authorize(request('4242424242424242'), { idempotencyKey })
    expect(second).toEqual(first)
    expect(acquirer.running.ledger.size.authorizations).toBe(count)
  })

  it('marks a replayed answer Idempotent-Replayed', async () => {
    const headers = { Authorization: 'Bearer acq_dev_sandbox_key', 'Content-Type': 'application/json', 'Idempotency-Key': key() }
    const body = JSON.stringify({ amount: 100, currency: 'EUR', initiator: 'merchant', card: { number: '4242424242424242', exp_month: 1, exp_year: 2099 } })
    const first = await fetch(`${acquirer.url}/v1/authorizations`, { method: 'POST', headers, body })
    const second = await fetch(`${acquirer.url}/v1/authorizations`, { method: 'POST', headers, body })
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(await second.json()).toEqual(await first.json())
  })

  it('replays a capture instead of refusing it as a second capture', async () => {
    const auth = await acquirer.client().authorize(request('4242424242424242'))
    const idempotencyKey = key()
    const first = await acquirer.client().capture(auth.reference, { amount: 400 }, { idempotencyKey })
    expect(await acquirer.client().capture(auth.reference, { amount: 400 }, { idempotencyKey })).toEqual(first)
  })

  it('replays a refund without refunding twice', async () => {
    const sale = await acquirer.client().authorize({ ...request('4242424242424242'), capture: true })
    const idempotencyKey = key()
    await acquirer.client().refund(sale.reference, { amount: 300 }, { idempotencyKey })
    const again = await acquirer.client().refund(sale.reference, { amount: 300 }, { idempotencyKey })
    expect(again).toMatchObject({ amountRefunded: 300, status: 'partially_refunded' })
  })

  it('replays a decline with the same reference', async () => {
    const idempotencyKey = key()
    const first = (await acquirer.client().authorize(request('4000000000009995'), { idempotencyKey }).catch((e: unknown) => e)) as AcquirerDeclinedError
    const second = (await acquirer.client().authorize(request('4000000000009995'), { idempotencyKey }).catch((e: unknown) => e)) as AcquirerDeclinedError
    expect(second).toBeInstanceOf(AcquirerDeclinedError)
    expect(second.reference).toBe(first.reference)
  })

  it('refuses the same key with another request (409 idempotency_key_reused)', async () => {
    const idempotencyKey = key()
    await acquirer.client().authorize(request('4242424242424242', 1000), { idempotencyKey })
    const error = await acquirer.client().authorize(request('4242424242424242', 1001), { idempotencyKey }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerRejectedError)
    expect(error).toMatchObject({ status: 409, code: 'idempotency_key_reused' })
  })

  it('keeps nothing for a refused request: the key can be used again', async () => {
    const idempotencyKey = key()
    const refused = await acquirer.client().authorize({ ...request('4242424242424242'), currency: 'ABC' }, { idempotencyKey }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(AcquirerRejectedError)
    expect((await acquirer.client().authorize(request('4242424242424242'), { idempotencyKey })).status).toBe('authorized')
  })

  it('refuses a repeat while the first request with the key is still held (409 idempotency_in_progress)', async () => {
    const idempotencyKey = key()
    const held = acquirer.client({ timeoutMs: 400 }).authorize(request('4000000000005001'), { idempotencyKey }).catch((e: unknown) => e)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const error = await acquirer.client().authorize(request('4000000000005001'), { idempotencyKey }).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 409, code: 'idempotency_in_progress' })
    expect(await held).toBeInstanceOf(AcquirerTimeoutError)
  })

  it('sends a fresh key per call when none is given, so two calls are two authorizations', async () => {
    const a = await acquirer.client().authorize(request('4242424242424242'))
    const b = await acquirer.client().authorize(request('4242424242424242'))
    expect(a.reference).not.toBe(b.reference)
  })
})
