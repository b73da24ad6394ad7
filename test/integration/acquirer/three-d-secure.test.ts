// The sandbox acquirer's 3-D Secure 2 server through the HTTP AcquirerClient: the soft decline,
// the four cards' authentications, what an authorization with an authentication must match, and
// the signed notification of a challenge's end (read back by the client's readNotification).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AcquirerDeclinedError, AcquirerNotificationError, AcquirerRejectedError, type CompletedAuthentication } from '../../../backend/acquirer/client.js'
import { cardDetails, startTestAcquirer, type TestAcquirer } from '../../helpers/acquirer.js'

let acquirer: TestAcquirer
let inbox: http.Server
const received: { body: string; signature: string | undefined }[] = []
let notificationUrl: string

beforeAll(async () => {
  acquirer = await startTestAcquirer()
  inbox = http.createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      received.push({ body, signature: req.headers['tessera-acquirer-signature'] as string | undefined })
      res.writeHead(200).end('{}')
    })
  })
  await new Promise<void>((resolve) => inbox.listen(0, '127.0.0.1', resolve))
  notificationUrl = `http://127.0.0.1:${(inbox.address() as AddressInfo).port}/notify`
})
afterAll(async () => {
  await acquirer.close()
  await new Promise((resolve) => inbox.close(resolve))
})

const request = (number: string) => ({ card: cardDetails(number), amount: 4200, currency: 'EUR', notificationUrl })

describe('sandbox 3-D Secure', () => {
  it('soft-declines a customer-initiated authorization of the 3-D Secure cards without authentication; merchant-initiated ones are exempt', async () => {
    const client = acquirer.client()
    for (const number of ['4000000000003220', '4000000000003055', '4000000000003063']) {
      const error = await client.authorize({ card: cardDetails(number), amount: 100, currency: 'EUR', initiator: 'customer', capture: true }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AcquirerDeclinedError)
      expect((error as AcquirerDeclinedError).declineCode).toBe('authentication_required')
      expect((await client.authorize({ card: cardDetails(number), amount: 100, currency: 'EUR', initiator: 'merchant', capture: true })).status).toBe('captured')
    }
    expect((await client.authorize({ card: cardDetails('4000000000003097'), amount: 100, currency: 'EUR', initiator: 'customer', capture: true })).status).toBe('captured')
  })

  it('authenticates by card: frictionless authenticated, failed, unavailable, or a challenge', async () => {
    const client = acquirer.client()
    expect(await client.authenticate(request('4000000000003055'))).toMatchObject({ status: 'completed', flow: 'frictionless', result: 'authenticated', eci: '05', version: '2.2.0' })
    expect(await client.authenticate(request('4000000000003063'))).toMatchObject({ status: 'completed', result: 'failed', eci: '07' })
    expect(await client.authenticate(request('4000000000003097'))).toMatchObject({ status: 'completed', result: 'unavailable' })
    expect(await client.authenticate(request('4242424242424242'))).toMatchObject({ status: 'completed', result: 'authenticated' })
    const challenge = await client.authenticate(request('4000000000003220'))
    expect(challenge).toMatchObject({ status: 'challenge_required', challengeUrl: expect.stringMatching(new RegExp(`^${acquirer.url}/challenge/3ds_`)), transactionId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
  })

  it('authorizes with an authentication only for its card and amount, and only once it passed', async () => {
    const client = acquirer.client()
    const passed = (await client.authenticate(request('4000000000003055'))) as CompletedAuthentication
    const proof = { reference: passed.reference, transactionId: passed.transactionId, version: passed.version, eci: passed.eci, result: passed.result }
    const base = { card: cardDetails('4000000000003055'), amount: 4200, currency: 'EUR', initiator: 'customer' as const, capture: true }
    expect((await client.authorize({ ...base, threeDSecure: proof })).status).toBe('captured')
    for (const wrong of [{ ...base, amount: 4201 }, { ...base, card: cardDetails('4242424242424242') }]) {
      const error = await client.authorize({ ...wrong, threeDSecure: proof }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AcquirerRejectedError)
      expect((error as AcquirerRejectedError).code).toBe('authentication_invalid')
    }
    const failed = (await client.authenticate(request('4000000000003063'))) as CompletedAuthentication
    const error = await client.authorize({ ...base, card: cardDetails('4000000000003063'), threeDSecure: { ...proof, reference: failed.reference } }).catch((e: unknown) => e)
    expect((error as AcquirerRejectedError).code).toBe('authentication_invalid')
  })

  it('tells the notification URL of a challenge end, signed so that only the acquirer key verifies it', async () => {
    const client = acquirer.client()
    const challenge = await client.authenticate(request('4000000000003220'))
    if (challenge.status !== 'challenge_required') throw new Error('expected a challenge')
    const page = await fetch(challenge.challengeUrl)
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/)
    expect(await page.text()).toMatch(/<button type="submit" name="outcome" value="complete"[^>]*>Complete<\/button>/)
    const before = received.length
    const done = await fetch(challenge.challengeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=complete' })
    expect(await done.text()).toContain('You confirmed the payment.')
    const notification = received[before]!
    const header = (name: string) => (name.toLowerCase() === 'tessera-acquirer-signature' ? notification.signature : undefined)
    expect(client.readNotification({ body: notification.body, header }, new Date())).toMatchObject({ reference: challenge.reference, flow: 'challenge', result: 'authenticated', eci: '05' })
    expect(() => acquirer.client({ apiKey: 'another-key' }).readNotification({ body: notification.body, header }, new Date())).toThrow(AcquirerNotificationError)
    expect(() => client.readNotification({ body: notification.body.replace('authenticated', 'attempted'), header }, new Date())).toThrow(AcquirerNotificationError)
    expect(() => client.readNotification({ body: notification.body, header }, new Date(Date.now() + 301_000))).toThrow(AcquirerNotificationError)
    // Once finished, the page says so and Fail changes nothing.
    await fetch(challenge.challengeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=fail' })
    expect(client.readNotification({ body: received.at(-1)!.body, header: () => received.at(-1)!.signature }, new Date()).result).toBe('authenticated')
  })
})
