// A receiver that is down for a while: refused connections, 5xx answers and timeouts are
// retried on the backoff schedule; once it is back every event arrives, none is lost, and a
// repeat carries the same id and the same bytes. Driven by the injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVault, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'
import { startReceiver, type Receiver } from './support/receiver.js'

const clock = new ManualClock(Date.now())
const SECOND = 1000
const HOUR = 3600 * SECOND
let vault: TestVault
let call: Api
let keys: TestProjectKeys
let receiver: Receiver

beforeAll(async () => {
  receiver = await startReceiver()
  vault = await startVault({ clock, background: false, webhooks: { timeoutMs: 500, leaseMs: 5 * SECOND } })
  call = api(vault.url)
  keys = await vault.createProject({ webhookUrl: receiver.url })
})
afterAll(async () => {
  await vault.close()
  await receiver.close()
})

const dispatch = () => vault.running.vault.dispatcher.runOnce()

async function tokenize(customerId: string) {
  const card = await encryptCard(vault.url, { iat: Math.floor(clock.now().getTime() / 1000) })
  const res = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card, customer_id: customerId } })
  expect(res.status).toBe(201)
}

async function events(query = ''): Promise<any[]> {
  return (await call('GET', `/v1/events?limit=100${query}`, { key: keys.test.secret_key })).body.data
}

describe('a receiver that is down for a while', () => {
  it('gets every event once it is back: none lost, repeats only of the same id with the same body', async () => {
    await receiver.down()
    for (let i = 0; i < 5; i++) await tokenize(`cust_down_${i}`)
    expect(await dispatch()).toMatchObject({ claimed: 5, retrying: 5 })
    const afterFirst = await events()
    for (const e of afterFirst) {
      expect(e.delivery).toMatchObject({ status: 'pending', attempts: 1, last_error: 'ECONNREFUSED', last_response_status: null })
      // The first retry waits 15-30 s (30 s with up to half of it taken off at random).
      const wait = Date.parse(e.delivery.next_attempt_at) - clock.now().getTime()
      expect(wait).toBeGreaterThanOrEqual(15 * SECOND)
      expect(wait).toBeLessThanOrEqual(30 * SECOND)
    }
    expect(await dispatch()).toMatchObject({ claimed: 0 })

    // More changes while it is down, then a second round of refusals.
    for (let i = 5; i < 7; i++) await tokenize(`cust_down_${i}`)
    clock.advance(30 * SECOND)
    expect(await dispatch()).toMatchObject({ claimed: 7, retrying: 7 })

    // Back, but answering 503, then too slowly: both are failures.
    await receiver.up()
    receiver.answer(503)
    clock.advance(60 * SECOND)
    expect(await dispatch()).toMatchObject({ claimed: 7, retrying: 7 })
    receiver.answer('hold')
    clock.advance(120 * SECOND)
    expect(await dispatch()).toMatchObject({ claimed: 7, retrying: 7 })
    expect((await events()).map((e) => e.delivery.last_error).sort()).toEqual([...Array(7).fill('timeout')])

    receiver.answer(200)
    clock.advance(5 * 60 * SECOND)
    expect(await dispatch()).toMatchObject({ claimed: 7, delivered: 7 })
    expect(await dispatch()).toMatchObject({ claimed: 0 })

    const all = await events()
    expect(all).toHaveLength(7)
    for (const e of all) expect(e.delivery.status).toBe('delivered')
    const received = receiver.received
    expect(new Set(received.map((r) => r.eventId))).toEqual(new Set(all.map((e) => e.id)))
    for (const e of all) {
      const copies = received.filter((r) => r.eventId === e.id)
      expect(copies.length).toBeGreaterThanOrEqual(2)
      expect(new Set(copies.map((c) => c.body)).size).toBe(1)
      expect(JSON.parse(copies[0]?.body ?? '').id).toBe(e.id)
    }
  })

  it('retries on the backoff schedule for three days, then marks the event failed; a redelivery by hand sends it', async () => {
    await receiver.down()
    const start = clock.now().getTime()
    await tokenize('cust_gone')
    const [event] = await events('&type=token.created&delivery_status=pending')
    const attemptsAt: number[] = []
    for (let i = 0; i < 40; i++) {
      attemptsAt.push(clock.now().getTime() - start)
      await dispatch()
      const e = (await call('GET', `/v1/events/${event.id}`, { key: keys.test.secret_key })).body
      if (e.delivery.status !== 'pending') break
      clock.set(e.delivery.next_attempt_at)
    }
    const e = (await call('GET', `/v1/events/${event.id}`, { key: keys.test.secret_key })).body
    expect(e.delivery).toMatchObject({ status: 'failed', attempts: attemptsAt.length, next_attempt_at: null })
    // The last try is exactly three days after the event.
    expect(attemptsAt.at(-1)).toBe(72 * HOUR)
    const gaps = attemptsAt.slice(1).map((t, i) => t - (attemptsAt[i] as number))
    for (const [i, gap] of gaps.slice(0, -1).entries()) {
      const nominal = Math.min(30 * SECOND * 2 ** i, 12 * HOUR)
      expect(gap).toBeGreaterThanOrEqual(nominal / 2)
      expect(gap).toBeLessThanOrEqual(nominal)
    }
    console.log(`retry schedule of one event (hours after creation): ${attemptsAt.map((t) => (t / HOUR).toFixed(2)).join(', ')} (${attemptsAt.length} attempts)`)

    await receiver.up()
    const before = receiver.received.length
    const redelivered = await call('POST', `/v1/events/${event.id}/redeliver`, { key: keys.test.secret_key })
    expect(redelivered.status).toBe(200)
    expect(redelivered.body.delivery).toMatchObject({ status: 'pending', attempts: attemptsAt.length })
    expect(await dispatch()).toMatchObject({ claimed: 1, delivered: 1 })
    expect(receiver.received.slice(before).map((r) => r.eventId)).toEqual([event.id])
    expect((await call('GET', `/v1/events/${event.id}`, { key: keys.test.secret_key })).body.delivery).toMatchObject({ status: 'delivered', attempts: attemptsAt.length + 1 })
  })
})
