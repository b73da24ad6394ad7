// When the acquirer is gone, dies mid-request or is misconfigured, the client fails cleanly
// with an AcquirerUnavailableError (502) or AcquirerTimeoutError (504), and no card data leaks
// into errors or logs.
import type { ChildProcess } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { AcquirerTimeoutError, AcquirerUnavailableError, type AuthorizeRequest } from '../../../backend/acquirer/client.js'
import { DEFAULT_ACQUIRER_KEY, DEFAULT_ACQUIRER_URL, HttpAcquirerClient } from '../../../backend/acquirer/http-client.js'
import { CONFIG_DEFAULTS } from '../../../backend/config.js'
import { cardDetails, spawnAcquirer, startTestAcquirer, type TestAcquirer } from '../../helpers/acquirer.js'

const started: TestAcquirer[] = []
const children: ChildProcess[] = []
const servers: http.Server[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.close()))
  for (const server of servers.splice(0)) {
    server.close()
    server.closeAllConnections()
  }
})
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

/** A stand-in acquirer on loopback that answers as `handler` says. */
async function fakeAcquirer(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function sandbox(options: Parameters<typeof startTestAcquirer>[0] = {}): Promise<TestAcquirer> {
  const acquirer = await startTestAcquirer(options)
  started.push(acquirer)
  return acquirer
}

const hangRequest = (): AuthorizeRequest => ({ card: cardDetails('4000000000005001', { cvc: '123' }), amount: 100, currency: 'EUR', initiator: 'customer', capture: true })

describe('acquirer gone or misconfigured', () => {
  it('turns a refused connection into unavailable (502 api_error)', async () => {
    const acquirer = await startTestAcquirer()
    await acquirer.close()
    const error = await new HttpAcquirerClient({ url: acquirer.url, timeoutMs: 2_000 }).verify({ card: cardDetails('4242424242424242') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerUnavailableError)
    expect((error as AcquirerUnavailableError).detail).toBe('transport: ECONNREFUSED')
    expect((error as AcquirerUnavailableError).toBody()).toMatchObject({ type: 'api_error', code: 'acquirer_unavailable' })
  })

  it('turns a refused API key into unavailable, not into the merchant’s error', async () => {
    const acquirer = await sandbox({ apiKey: 'acq_other_key' })
    const error = await acquirer.client({ apiKey: 'acq_wrong_key' }).verify({ card: cardDetails('4242424242424242') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerUnavailableError)
    expect((error as AcquirerUnavailableError).detail).toMatch(/401/)
    expect((await acquirer.client({ apiKey: 'acq_other_key' }).verify({ card: cardDetails('4242424242424242') })).cvcCheck).toBe('unchecked')
  })

  it.each([
    [200, 'application/json', '{"status":"ok"}'],
    [200, 'text/html', '<html>proxy login</html>'],
    [503, 'text/html', '<html>bad gateway</html>'],
  ])('turns a %i %s answer that is not the acquirer’s into unavailable', async (status, type, body) => {
    const url = await fakeAcquirer((_req, res) => res.writeHead(status, { 'Content-Type': type }).end(body))
    const error = await new HttpAcquirerClient({ url }).verify({ card: cardDetails('4242424242424242') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerUnavailableError)
  })

  it('gives a timeout when the answer stalls after its headers', async () => {
    const url = await fakeAcquirer((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' })
      res.write('{"id":"ver_1",')
    })
    const error = await new HttpAcquirerClient({ url, timeoutMs: 300 }).verify({ card: cardDetails('4242424242424242') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerTimeoutError)
  })

  it('defaults to the sandbox on 127.0.0.1:8790 with the key the vault config defaults to', () => {
    expect(DEFAULT_ACQUIRER_URL).toBe('http://127.0.0.1:8790')
    expect(DEFAULT_ACQUIRER_URL).toBe(CONFIG_DEFAULTS.acquirerUrl)
    expect(DEFAULT_ACQUIRER_KEY).toBe(CONFIG_DEFAULTS.acquirerKey)
  })
})

describe('acquirer dies mid-request', () => {
  it('gives unavailable when the server closes while a request is held', async () => {
    const acquirer = await startTestAcquirer({ hangMs: 10_000 })
    const pending = acquirer.client({ timeoutMs: 5_000 }).authorize(hangRequest()).catch((e: unknown) => e)
    await new Promise((resolve) => setTimeout(resolve, 150))
    const started = Date.now()
    await acquirer.close()
    const error = await pending
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(error).toBeInstanceOf(AcquirerUnavailableError)
    expect((error as AcquirerUnavailableError).status).toBe(502)
  })

  it('gives unavailable when the acquirer process is killed with SIGKILL mid-request', async () => {
    const { child, url } = await spawnAcquirer()
    children.push(child)
    const client = new HttpAcquirerClient({ url, timeoutMs: 10_000 })
    expect((await client.verify({ card: cardDetails('4242424242424242') })).cvcCheck).toBe('unchecked')
    const pending = client.authorize(hangRequest()).catch((e: unknown) => e)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    const error = await pending
    expect(error).toBeInstanceOf(AcquirerUnavailableError)
    expect((error as AcquirerUnavailableError).detail).toMatch(/^transport: /)
    // And afterwards, with nothing listening, the same clean error.
    expect(await client.verify({ card: cardDetails('4242424242424242') }).catch((e: unknown) => e)).toBeInstanceOf(AcquirerUnavailableError)
  })

  it('gives a timeout, not a hang, when the acquirer holds the request past the client timeout', async () => {
    const acquirer = await sandbox({ hangMs: 10_000 })
    const startedAt = Date.now()
    const error = await acquirer.client({ timeoutMs: 300 }).authorize(hangRequest()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcquirerTimeoutError)
    expect(Date.now() - startedAt).toBeLessThan(1_500)
  })
})

describe('no card data in errors or logs', () => {
  it('keeps card numbers and CVCs out of the acquirer log and the client errors', async () => {
    const acquirer = await sandbox({ hangMs: 1_000 })
    const client = acquirer.client({ timeoutMs: 200 })
    const numbers = ['4242424242424242', '4000000000009995', '4000000000000119', '4000000000005001', '4000000000005100', '4242424242424241']
    const errors: unknown[] = []
    for (const number of numbers) {
      const card = cardDetails(number, { cvc: '731' })
      errors.push(await client.authorize({ card, amount: 100, currency: 'EUR', initiator: 'customer', capture: true }).catch((e: unknown) => e))
      errors.push(await client.verify({ card }).catch((e: unknown) => e))
      errors.push(await client.payout({ card: cardDetails(number), amount: 100, currency: 'EUR' }).catch((e: unknown) => e))
    }
    await client.accountUpdates(new Date(0))
    const logs = acquirer.logs.join('')
    expect(acquirer.logs.length).toBeGreaterThan(numbers.length * 3)
    const errorText = errors.map((e) => (e instanceof Error ? `${e.message} ${e.stack} ${JSON.stringify(e)} ${String((e as { detail?: string }).detail)}` : JSON.stringify(e))).join('\n')
    for (const number of numbers) {
      expect(logs).not.toContain(number)
      expect(errorText).not.toContain(number)
    }
    // As a value, not as digits inside a timestamp or a pid.
    expect(logs).not.toMatch(/"731"|cvc/i)
    expect(errorText).not.toMatch(/"731"|\b731\b/)
  })
})
