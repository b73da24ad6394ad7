// The cross-cutting middleware (Hono's request id, secure headers and body limit underneath),
// through the real app without a socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../backend/config.js'
import { createLogger } from '../../../backend/logger.js'
import { createVault, type Vault } from '../../../backend/vault.js'
import { tempDir } from '../../helpers/artifacts.js'

let vault: Vault
beforeAll(async () => {
  vault = await createVault(loadConfig({}, { dataDir: tempDir() }), { logger: createLogger({ level: 'silent' }) })
})
afterAll(() => vault.close())

const post = (body: BodyInit, headers: Record<string, string> = {}) => vault.app.request('/v1/tokens', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, duplex: 'half' } as RequestInit)

describe('request ids', () => {
  it("are the vault's own: a client's Request-Id is never taken over", async () => {
    const res = await vault.app.request('/v1/jwks', { headers: { 'Request-Id': 'req_chosen_by_client' } })
    expect(res.headers.get('request-id')).toMatch(/^req_[0-9a-f]{24}$/)
    const again = await vault.app.request('/v1/jwks')
    expect(again.headers.get('request-id')).not.toBe(res.headers.get('request-id'))
  })
})

describe('body limits', () => {
  it('answers 413 in the error shape for a declared body over 16 KB', async () => {
    const res = await post(JSON.stringify({ card: 'A'.repeat(17 * 1024) }))
    expect(res.status).toBe(413)
    expect((await res.json()).error).toMatchObject({ type: 'invalid_request_error', code: 'body_too_large' })
    expect(res.headers.get('request-id')).toMatch(/^req_/)
  })

  it('answers 413 for a streamed body that grows past 16 KB without declaring its length', async () => {
    const chunk = new TextEncoder().encode('A'.repeat(4096))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await post(stream as unknown as BodyInit)
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('body_too_large')
  })

  it('takes an empty body sent as application/json as no parameters (the request then fails on auth, not as JSON)', async () => {
    expect((await post('')).status).toBe(401)
    expect((await post('', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(401)
    // Whitespace is a body, and not JSON.
    expect((await (await post(' ')).json()).error.code).toBe('invalid_json')
  })

  it('reads a body within the limit (the request then fails on auth, not on size)', async () => {
    const res = await post(JSON.stringify({ card: 'x' }))
    expect(res.status).toBe(401)
  })
})

describe('security headers', () => {
  it('keep the exact set the API answers with, and leave a route its own CSP and CORP', async () => {
    const api = await vault.app.request('/v1/jwks')
    expect(Object.fromEntries([...api.headers].filter(([name]) => /^(x-|referrer|content-security|cache-control|cross-origin|strict)/.test(name)))).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cache-control': 'public, max-age=300',
      'cross-origin-opener-policy': 'same-origin',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    })
    const docs = await vault.app.request('/docs')
    expect(docs.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/)
    expect(docs.headers.get('x-frame-options')).toBeNull()
  })
})
