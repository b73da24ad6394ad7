// The request log line, through the real app: it skips the logger's redaction paths and generic
// scrubbing (request-log.ts), so this checks what it holds: its fixed fields only, and nothing a
// client sent that could be a card number, a JWE or a key, whether in the path (in any
// spelling), the method, or a header value.
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../backend/config.js'
import { createLogger } from '../../../backend/logger.js'
import { createVault, type Vault } from '../../../backend/vault.js'
import { tempDir } from '../../helpers/artifacts.js'

const lines: string[] = []
let vault: Vault
let sk: string

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _e, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    },
  })
  vault = await createVault(loadConfig({}, { dataDir: tempDir() }), { logger: createLogger({ level: 'info', destination: sink as never }) })
  sk = (await vault.projects.create({ name: 'Log', allowedOrigins: ['https://shop.example'] })).keys.test.secret_key
})
afterAll(() => vault.close())

const NUMBER = '4111111111111111'
const JWE = `eyJhbGciOiJFQ0RILUVTIn0.${'A'.repeat(20)}.${'B'.repeat(16)}.${'C'.repeat(30)}.${'D'.repeat(22)}`
const KEY = 'sk_test_' + 'Q'.repeat(32)

describe('the request log line', () => {
  it('holds its fixed fields and no card number, JWE, key or header value a client sent', async () => {
    const headers = { authorization: `Bearer ${sk}`, 'x-card': NUMBER, 'user-agent': `agent ${NUMBER}`, 'idempotency-key': NUMBER }
    const paths = [
      `/v1/tokens/${NUMBER}`,
      `/v1/tokens/${[...NUMBER].map((d) => '%3' + d).join('')}`,
      '/v1/tokens/4111-1111-1111-1111',
      '/v1/tokens/4111%201111%201111%201111',
      `/v1/tokens/${JWE}`,
      `/v1/tokens/${KEY}`,
      `/nowhere/${NUMBER}?q=${NUMBER}`,
    ]
    for (const path of paths) expect([404, 401]).toContain((await vault.app.request(path, { headers })).status)
    expect((await vault.app.request('/v1/tokens', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ card: JWE, number: NUMBER }) })).status).toBe(400)
    expect((await vault.app.request('/v1/tokens/abc', { method: 'X4111111111111111', headers })).status).toBe(405)
    await new Promise((r) => setTimeout(r, 50))

    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request')
    expect(requests).toHaveLength(paths.length + 2)
    for (const line of requests) {
      // Exactly these fields (project and mode once a key was accepted), nothing else.
      const fields = Object.keys(line).sort()
      expect(fields.filter((k) => k !== 'project' && k !== 'mode')).toEqual(['level', 'method', 'ms', 'msg', 'path', 'pid', 'request_id', 'service', 'status', 'time'])
      expect(line.request_id).toMatch(/^req_[0-9a-f]{24}$/)
    }
    // The read was authenticated: its line says whose it was.
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/v1/tokens/[digits]', status: 404, mode: 'test' })
    expect(requests[0]?.project).toMatch(/^proj_/)
    expect(requests.map((l) => l.path)).toEqual(['/v1/tokens/[digits]', '/v1/tokens/[digits]', '/v1/tokens/[digits]', '/v1/tokens/[digits]', '/v1/tokens/[jwe]', '/v1/tokens/sk_test_[redacted]', '/nowhere/[digits]', '/v1/tokens', '/v1/tokens/abc'])
    expect(requests.at(-1)?.method).toBe('OTHER')
    // Written in the logger's own format: the same leading fields as a line pino writes.
    vault.logger.info({ probe: 1 }, 'probe')
    await new Promise((r) => setTimeout(r, 20))
    const probe = JSON.parse(lines.at(-1) as string) as Record<string, unknown>
    expect(Object.keys(requests[0] as object).slice(0, 4)).toEqual(Object.keys(probe).slice(0, 4))
    expect(requests[0]).toMatchObject({ level: probe.level, service: probe.service, pid: probe.pid })
    expect(Date.parse(requests[0]?.time as string)).toBeGreaterThan(Date.now() - 60_000)

    const text = lines.filter((l) => !l.includes('"probe"')).join('\n').replace(/"request_id":"req_[0-9a-f]+"/g, '')
    expect(text.replace(/[\s-]|%20/g, '')).not.toContain(NUMBER)
    expect(text).not.toContain(JWE.slice(0, 30))
    expect(text).not.toContain(KEY)
    expect(text).not.toContain(sk)
    expect(text).not.toMatch(/\d[\d -]{10,}\d/)
  })
})
