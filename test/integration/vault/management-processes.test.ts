// A settings change or a key deletion made through one vault process reaches another running
// process on the same database within the documented bound (AUTH_CACHE_MS), though that
// process had the old settings cached.
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUTH_CACHE_MS } from '../../../backend/projects/service.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { createTestDatabase, tempDir } from '../../helpers/vault.js'

const dataDir = tempDir('tessera-manage-procs-')
let env: NodeJS.ProcessEnv = {}
const children: ChildProcess[] = []
let a: Api
let b: Api
let urlB: string
let admin: string

async function vaultProcess(): Promise<string> {
  const started = await startTessera(['serve', '--port', '0', '--data', dataDir], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/, env)
  children.push(started.child)
  return started.match[1] as string
}

beforeAll(async () => {
  if (process.env.TESSERA_TEST_STORE === 'postgres') env = { DATABASE_URL: await createTestDatabase() }
  const made = await runTessera(['admin-key', 'create', '--json', '--data', dataDir], env)
  expect(made.code).toBe(0)
  admin = JSON.parse(made.stdout).secret
  const [first, second] = await Promise.all([vaultProcess(), vaultProcess()])
  a = api(first)
  urlB = second
  b = api(second)
}, 90_000)

afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)))
})

/** Polls until `check` holds; answers how long that took. */
async function within(boundMs: number, check: () => Promise<boolean>): Promise<number> {
  const began = Date.now()
  while (!(await check())) {
    if (Date.now() - began > boundMs) throw new Error(`not within ${boundMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return Date.now() - began
}

// The bound users are promised, plus slack for a loaded test machine.
const BOUND = AUTH_CACHE_MS + 3_000

describe('settings changes across running processes', () => {
  it('a PATCHed allowed origin and verification take effect in the other process within the cache bound', async () => {
    const created = await a('POST', '/v1/projects', { key: admin, body: { name: 'Two', allowed_origins: ['https://first.example'], verification: 'basic' } })
    expect(created.status).toBe(201)
    const key = (kind: string) => created.body.keys.find((k: any) => k.kind === kind && k.mode === 'test')
    const pk = key('publishable').secret
    const sk = key('secret').secret
    const frameOnB = (origin: string) => b('GET', `/frame/card?key=${pk}&origin=${encodeURIComponent(origin)}`)
    const strategyOnB = async () => (await b('POST', '/v1/tokens', { key: sk, body: { card: await encryptCard(urlB) } })).body.verification?.strategy
    // B looks both keys up now, and caches what it read.
    expect((await frameOnB('https://second.example')).status).toBe(403)
    expect(await strategyOnB()).toBe('basic')

    const patched = await a('PATCH', `/v1/projects/${created.body.id}`, { key: admin, body: { allowed_origins: ['https://first.example', 'https://second.example/'], verification: 'none' } })
    expect(patched.status).toBe(200)
    const originMs = await within(BOUND, async () => (await frameOnB('https://second.example')).status === 200)
    const verificationMs = await within(BOUND, async () => (await strategyOnB()) === 'none')
    expect(originMs).toBeLessThanOrEqual(BOUND)
    expect(verificationMs).toBeLessThanOrEqual(BOUND)
  }, 60_000)

  it('a key deleted through one process stops working in the other within the cache bound', async () => {
    const created = await a('POST', '/v1/projects', { key: admin, body: { name: 'Del', allowed_origins: ['https://first.example'] } })
    const sk = created.body.keys.find((k: any) => k.kind === 'secret' && k.mode === 'live')
    expect((await b('GET', '/v1/events', { key: sk.secret })).status).toBe(200)
    expect((await a('DELETE', `/v1/projects/${created.body.id}/keys/${sk.id}`, { key: admin })).status).toBe(200)
    // At once in the process that deleted it.
    expect((await a('GET', '/v1/events', { key: sk.secret })).status).toBe(401)
    await within(BOUND, async () => (await b('GET', '/v1/events', { key: sk.secret })).status === 401)
  }, 60_000)
})
