// Two vault processes on one database (SQLite file or PostgreSQL): replay ids, idempotency
// records, one-token-per-account, rate limits and the audit chain hold across processes, not just inside one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { createTestDatabase, tempDir } from '../../helpers/vault.js'
import type { ChildProcess } from 'node:child_process'

const dataDir = tempDir('tessera-multi-')
/** Behind one proxy; a per-address tokenize limit of six, then one every 100 s. */
let env: NodeJS.ProcessEnv = { TESSERA_TRUST_PROXY: '1', TESSERA_RATE_LIMITS: JSON.stringify({ tokenize: { perAddress: { perSecond: 0.01, burst: 6 } } }) }
const children: ChildProcess[] = []
let a: Api
let b: Api
let urlA: string
let keys: { unique: { test: { secret_key: string; publishable_key: string } }; plain: { project_id: string; test: { secret_key: string; publishable_key: string } } }

async function vaultProcess(): Promise<string> {
  const started = await startTessera(['serve', '--port', '0', '--data', dataDir], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/, env)
  children.push(started.child)
  return started.match[1] as string
}

async function project(...flags: string[]) {
  const out = await runTessera(['project', 'create', '--name', 'Multi', '--origin', 'https://shop.example', '--json', '--data', dataDir, ...flags], env)
  expect(out.code).toBe(0)
  return JSON.parse(out.stdout)
}

beforeAll(async () => {
  if (process.env.TESSERA_TEST_STORE === 'postgres') env = { ...env, DATABASE_URL: await createTestDatabase() }
  keys = { unique: await project('--token-management', 'unique-account'), plain: await project() }
  const [first, second] = await Promise.all([vaultProcess(), vaultProcess()])
  urlA = first
  a = api(first)
  b = api(second)
}, 90_000)

afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)))
})

describe('two vault processes on one database', () => {
  it('refuse in one process a JWE the other accepted', async () => {
    const card = await encryptCard(urlA)
    const first = await a('POST', '/v1/tokens', { key: keys.plain.test.publishable_key, body: { card } })
    expect(first.status).toBe(201)
    const replay = await b('POST', '/v1/tokens', { key: keys.plain.test.publishable_key, body: { card } })
    expect([replay.status, replay.body.error.code]).toEqual([400, 'replayed_card_encryption'])
  })

  it('honour an Idempotency-Key across processes', async () => {
    const body = { card: await encryptCard(urlA) }
    const headers = { 'idempotency-key': 'multi-1' }
    const first = await a('POST', '/v1/tokens', { key: keys.plain.test.secret_key, body, headers })
    const second = await b('POST', '/v1/tokens', { key: keys.plain.test.secret_key, body, headers })
    expect(first.status).toBe(201)
    expect(second.body).toEqual(first.body)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    const other = await b('POST', '/v1/tokens', { key: keys.plain.test.secret_key, body: { card: await encryptCard(urlA) }, headers })
    expect(other.status).toBe(409)
  })

  it('never yield two tokens for one card under concurrent requests to both (unique-account)', async () => {
    for (const number of ['4242424242424242', '5555555555554444', '378282246310005']) {
      const requests = Array.from({ length: 16 }, async (_, i) =>
        (i % 2 ? a : b)('POST', '/v1/tokens', { key: keys.unique.test.secret_key, body: { card: await encryptCard(urlA, { number, cvc: number.startsWith('37') ? '1234' : '123' }) } }),
      )
      const results = await Promise.all(requests)
      expect(results.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([])
      expect(results.filter((r) => r.status === 201)).toHaveLength(1)
      expect(new Set(results.map((r) => r.body.token)).size).toBe(1)
    }
    const all = await a('POST', '/v1/tokens/search', { key: keys.unique.test.secret_key, body: { limit: 100 } })
    expect(all.body.data).toHaveLength(3)
  })

  it('share one rate limit: a client alternating between them gets the limit once, not twice', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) {
      const res = await (i % 2 ? a : b)('POST', '/v1/tokens', { key: keys.plain.test.publishable_key, body: { card: await encryptCard(urlA) }, headers: { 'x-forwarded-for': `10.1.${i}.1, 203.0.113.80` } })
      statuses.push(res.status)
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 429, 429, 429, 429])
  })

  it('append to one audit chain from both processes at once without a fork (tessera audit verify)', async () => {
    const before = (await a('GET', '/v1/audit-events?limit=100', { key: keys.plain.test.secret_key })).body.data.length
    const results = await Promise.all(Array.from({ length: 32 }, async (_, i) => (i % 2 ? a : b)('POST', '/v1/tokens', { key: keys.plain.test.secret_key, body: { card: await encryptCard(urlA) } })))
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([])
    expect((await b('GET', '/v1/audit-events?limit=100', { key: keys.plain.test.secret_key })).body.data).toHaveLength(before + 32)
    const out = await runTessera(['audit', 'verify', '--project', keys.plain.project_id, '--data', dataDir], env)
    expect(out.code, out.stderr).toBe(0)
    expect(out.stdout).toContain(`${keys.plain.project_id} test: ${before + 32} events`)
  })
})
