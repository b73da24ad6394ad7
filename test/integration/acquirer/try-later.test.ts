// An acquirer that answers "try again later" (408, 425, 429) is acquirer trouble: the client
// reports it as acquirer_unavailable (502 api_error), never as the merchant's invalid request.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AcquirerRejectedError, AcquirerUnavailableError } from '../../../backend/acquirer/client.js'
import { HttpAcquirerClient } from '../../../backend/acquirer/http-client.js'
import { cardDetails } from '../../helpers/acquirer.js'

let server: http.Server
let url: string
beforeAll(async () => {
  // Answers every request with the status named by the Idempotency-Key the test sends.
  server = http.createServer((req, res) => {
    req.resume()
    const status = Number(String(req.headers['idempotency-key']).split('-')[0])
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { type: 'invalid_request_error', code: 'slow_down', message: 'not now' } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const authorize = (status: number) =>
  new HttpAcquirerClient({ url, apiKey: 'acq_test' })
    .authorize({ card: cardDetails('4242424242424242'), amount: 100, currency: 'EUR', initiator: 'customer', capture: true }, { idempotencyKey: `${status}-${Math.random()}` })
    .then(() => undefined, (error: unknown) => error)

describe('acquirer answers that say try again later', () => {
  it.each([408, 425, 429])('%i is acquirer_unavailable (502 api_error)', async (status) => {
    const error = await authorize(status)
    expect(error).toBeInstanceOf(AcquirerUnavailableError)
    expect((error as AcquirerUnavailableError).status).toBe(502)
    expect((error as AcquirerUnavailableError).toBody()).toMatchObject({ type: 'api_error', code: 'acquirer_unavailable' })
  })

  it('a 422 stays the acquirer refusing the request', async () => {
    expect(await authorize(422)).toBeInstanceOf(AcquirerRejectedError)
  })
})
