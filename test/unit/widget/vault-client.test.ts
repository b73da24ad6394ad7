import { describe, expect, it } from 'vitest'
import { VaultClient, VaultError } from '../../../widget/frame/vault-client.js'

interface Call {
  path: string
  init: RequestInit
}

function fakeFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = []
  const fn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = { path: String(input), init }
    calls.push(call)
    return respond(call)
  }) as typeof fetch
  return { fn, calls }
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const tokenObject = {
  object: 'token',
  token: 'tok_1',
  status: 'active',
  fingerprint: 'fp',
  card: { brand: 'visa', bin: '424242', last4: '4242', exp_month: 12, exp_year: 2030, name: 'ANA POP' },
}

describe('VaultClient', () => {
  it('posts the JWE with the publishable key and hands back the masked card only', async () => {
    const { fn, calls } = fakeFetch(() => json(201, tokenObject))
    const result = await new VaultClient('pk_test_1', fn).createToken('a.b.c.d.e', 'cs_test_secret')
    expect(result).toEqual({ token: 'tok_1', card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 } })
    const call = calls[0]!
    expect(call.path).toBe('/v1/tokens')
    expect(call.init.method).toBe('POST')
    expect(call.init.credentials).toBe('omit')
    expect(call.init.headers).toMatchObject({ authorization: 'Bearer pk_test_1', 'content-type': 'application/json', 'tessera-customer-session': 'cs_test_secret' })
    // The customer comes from the session: the body holds the card only.
    expect(JSON.parse(String(call.init.body))).toEqual({ card: 'a.b.c.d.e' })
  })

  it('sends no session header without a session', async () => {
    const { fn, calls } = fakeFetch(() => json(201, tokenObject))
    await new VaultClient('pk_test_1', fn).createToken('a.b.c.d.e', null)
    expect(Object.keys(calls[0]!.init.headers as Record<string, string>)).not.toContain('tessera-customer-session')
  })

  it('turns the vault error shape into a VaultError', async () => {
    const { fn } = fakeFetch(() => json(422, { error: { type: 'card_error', code: 'test_card_required', message: 'Use a test card.', param: 'card' } }))
    const error = await new VaultClient('pk_test_1', fn).createToken('jwe', null).catch((e) => e)
    expect(error).toBeInstanceOf(VaultError)
    expect(error.payload).toEqual({ type: 'card_error', code: 'test_card_required', message: 'Use a test card.', param: 'card' })
  })

  it('reports a network failure and an answer that is not the vault shape', async () => {
    const down = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')))
    await expect(new VaultClient('pk', down.fn).createToken('jwe', null)).rejects.toMatchObject({ payload: { code: 'network_error' } })
    const proxy = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }))
    await expect(new VaultClient('pk', proxy.fn).createToken('jwe', null)).rejects.toMatchObject({ payload: { code: 'network_error' } })
    const odd = fakeFetch(() => json(200, { token: 5 }))
    await expect(new VaultClient('pk', odd.fn).createToken('jwe', null)).rejects.toMatchObject({ payload: { code: 'unknown_error' } })
  })

  it('caches the active key, refetches on request, and does not cache a failure', async () => {
    let n = 0
    const { fn, calls } = fakeFetch(() => (++n === 1 ? Promise.reject(new Error('down')) : json(200, { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: `k${n}`, use: 'enc' }] })))
    const client = new VaultClient('pk', fn)
    await expect(client.encryptionKey()).rejects.toBeInstanceOf(VaultError)
    expect((await client.encryptionKey()).kid).toBe('k2')
    expect((await client.encryptionKey()).kid).toBe('k2')
    expect((await client.encryptionKey(true)).kid).toBe('k3')
    expect(calls.map((c) => c.path)).toEqual(['/v1/jwks', '/v1/jwks', '/v1/jwks'])
  })

  it('lists saved cards with the customer session header, active ones only', async () => {
    const { fn, calls } = fakeFetch(() => json(200, { object: 'list', data: [tokenObject, { ...tokenObject, token: 'tok_2', status: 'revoked' }] }))
    const cards = await new VaultClient('pk_test_1', fn).savedCards('cs_secret')
    expect(cards.map((c) => c.token)).toEqual(['tok_1'])
    expect(calls[0]!.path).toBe('/v1/customer-sessions/tokens')
    expect(calls[0]!.init.headers).toMatchObject({ authorization: 'Bearer pk_test_1', 'tessera-customer-session': 'cs_secret' })
  })
})
