// Webhooks as a merchant's server sees them: a real HTTP receiver, signatures checked with jose
// against GET /v1/webhook-keys and with the verifyWebhook helper, and delivery time measured.
import { base64url, compactVerify, createRemoteJWKSet, decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhook, WebhookVerificationError } from '../../../packages/node/index.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVault, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'
import { startReceiver, type Receiver } from './support/receiver.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys
let receiver: Receiver
let jwksUrl: string

beforeAll(async () => {
  receiver = await startReceiver()
  vault = await startVault()
  call = api(vault.url)
  keys = await vault.createProject({ webhookUrl: receiver.url })
  jwksUrl = `${vault.url}/v1/webhook-keys`
})
afterAll(async () => {
  await vault.close()
  await receiver.close()
})

const sk = () => keys.test.secret_key

async function tokenize(customerId = 'cust_hooks') {
  const res = await call('POST', '/v1/tokens', { key: sk(), body: { card: await encryptCard(vault.url), customer_id: customerId } })
  expect(res.status).toBe(201)
  return res.body
}

/** Verifies the way any JOSE library would: rebuild the compact JWS with the body as payload. */
async function joseVerify(body: string, signature: string) {
  const [header, empty, sig] = signature.split('.')
  expect(empty).toBe('')
  return compactVerify(`${header}.${base64url.encode(body)}.${sig}`, createRemoteJWKSet(new URL(jwksUrl)), { algorithms: ['ES256'] })
}

describe('GET /v1/webhook-keys', () => {
  it('publishes ES256 public keys to anyone, with no private part', async () => {
    const res = await fetch(jwksUrl, { headers: { origin: 'https://elsewhere.example' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const jwks = (await res.json()) as { keys: Record<string, string>[] }
    expect(jwks.keys.length).toBeGreaterThan(0)
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' })
      expect(k.kid).toBeTruthy()
      expect(k).not.toHaveProperty('d')
    }
    expect((await call('POST', '/v1/webhook-keys')).status).toBe(405)
  })
})

describe('signed deliveries', () => {
  it('POSTs token.created to the webhook URL, signed with a detached ES256 JWS that jose verifies against the JWKS', async () => {
    const before = receiver.received.length
    const token = await tokenize()
    const [hook] = (await receiver.waitFor(before + 1)).slice(before)
    if (!hook?.signature) throw new Error('no signature header')
    const event = JSON.parse(hook.body)
    expect(event).toMatchObject({ object: 'event', type: 'token.created', mode: 'test', data: { object: { object: 'token', token: token.token, customer_id: 'cust_hooks' } } })
    expect(event.id).toMatch(/^evt_[0-9a-f]{24}$/)
    expect(hook.eventId).toBe(event.id)
    // The payload is the API's token object: masked card only.
    expect(event.data.object).toEqual(token)
    expect(hook.body).not.toContain('4242424242424242')

    const { protectedHeader } = await joseVerify(hook.body, hook.signature)
    const kids = ((await (await fetch(jwksUrl)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid)
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'tessera-webhook+jws', aud: keys.projectId })
    expect(kids).toContain(protectedHeader.kid)
    expect(decodeProtectedHeader(hook.signature).kid).toBe(protectedHeader.kid)

    expect(await verifyWebhook(hook.body, hook.signature, jwksUrl, { project: keys.projectId })).toEqual(event)
  })

  it('fails verification for a tampered body, a signature moved to another body, or another project', async () => {
    const before = receiver.received.length
    await tokenize('cust_tamper')
    await tokenize('cust_other')
    // Deliveries of one dispatch round may arrive in either order: tell them apart by content.
    const delivered = (await receiver.waitFor(before + 2)).slice(before)
    const a = delivered.find((d) => d.body.includes('cust_tamper'))
    const b = delivered.find((d) => d.body.includes('cust_other'))
    if (!a?.signature || !b?.signature) throw new Error('no signature header')
    const tampered = a.body.replace('cust_tamper', 'cust_evil00')
    expect(tampered).not.toBe(a.body)
    await expect(joseVerify(tampered, a.signature)).rejects.toThrow(/signature verification failed/)
    await expect(joseVerify(b.body, a.signature)).rejects.toThrow()
    for (const [body, sig, reason] of [
      [tampered, a.signature, 'signature_invalid'],
      [b.body, a.signature, 'signature_invalid'],
      [a.body, undefined, 'signature_missing'],
      [a.body, 'not-a-jws', 'signature_malformed'],
      [a.body, a.signature.replace('..', `.${base64url.encode(a.body)}.`), 'signature_malformed'],
    ] as const) {
      const error = await verifyWebhook(body, sig, jwksUrl).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(WebhookVerificationError)
      expect(error).toMatchObject({ code: 'ERR_TESSERA_WEBHOOK_VERIFICATION', reason })
    }
    await expect(verifyWebhook(a.body, a.signature, jwksUrl, { project: 'proj_someoneelse' })).rejects.toMatchObject({ reason: 'wrong_project' })
    await expect(verifyWebhook(a.body, a.signature, jwksUrl, { now: new Date(Date.now() + 10 * 60_000) })).rejects.toMatchObject({ reason: 'signature_stale' })
  })

  it('sends each change as its own event: update, revoke, delete', async () => {
    const before = receiver.received.length
    const token = await tokenize('cust_life')
    await call('PATCH', `/v1/tokens/${token.token}`, { key: sk(), body: { name: 'JANE DOE' } })
    await call('POST', `/v1/tokens/${token.token}/revoke`, { key: sk() })
    await call('DELETE', `/v1/tokens/${token.token}`, { key: sk() })
    const hooks = (await receiver.waitFor(before + 4)).slice(before).map((h) => JSON.parse(h.body))
    expect(hooks.map((e) => e.type).sort()).toEqual(['token.created', 'token.deleted', 'token.revoked', 'token.updated'])
    const deleted = hooks.find((e) => e.type === 'token.deleted')
    expect(deleted.data.object).toEqual({ object: 'token', token: token.token, deleted: true, mode: 'test', customer_id: 'cust_life', deleted_at: expect.any(String) })
  })

  it('delivers at the first attempt within a fraction of a second of the change (measured)', async () => {
    const samples: { afterResponse: number; fromRequest: number }[] = []
    for (let i = 0; i < 15; i++) {
      const before = receiver.received.length
      const t0 = performance.now()
      await tokenize(`cust_lat_${i}`)
      const t1 = performance.now()
      const [hook] = (await receiver.waitFor(before + 1)).slice(before)
      samples.push({ afterResponse: (hook?.at ?? 0) - t1, fromRequest: (hook?.at ?? 0) - t0 })
    }
    const sorted = (f: (s: (typeof samples)[number]) => number) => samples.map(f).sort((x, y) => x - y)
    const fromRequest = sorted((s) => s.fromRequest)
    const afterResponse = sorted((s) => s.afterResponse)
    const p50 = (xs: number[]) => xs[Math.floor(xs.length / 2)] as number
    console.log(
      `first-attempt webhook latency over ${samples.length} tokenizations: from the API request p50 ${p50(fromRequest).toFixed(1)} ms, max ${fromRequest.at(-1)?.toFixed(1)} ms; ` +
        `after the API response p50 ${p50(afterResponse).toFixed(1)} ms, max ${afterResponse.at(-1)?.toFixed(1)} ms`,
    )
    // The outbox nudges the dispatcher: no waiting for the one-second poll.
    expect(p50(fromRequest)).toBeLessThan(500)
    // The receiver has answered; the dispatcher records the delivery just after.
    await expect.poll(async () => (await call('GET', '/v1/events?limit=15&type=token.created', { key: sk() })).body.data.map((e: any) => e.delivery.status), { timeout: 5000 }).toEqual(Array(15).fill('delivered'))
    const list = await call('GET', '/v1/events?limit=15&type=token.created', { key: sk() })
    for (const e of list.body.data) expect(e.delivery).toMatchObject({ status: 'delivered', attempts: 1, last_response_status: 200, next_attempt_at: null })
  })
})
