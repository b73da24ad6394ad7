// The vault outlives its database. A real PostgreSQL of this file's own is stopped the way a
// crash or a failover stops it (`pg_ctl stop -m immediate`) under bounded tokenize load against
// a real `tessera serve` process, and started again on the same port and data folder: the
// process stays up, answers 503 database_unavailable meanwhile (quickly, never a reset or a
// hang), tokenizes again within seconds of the database's return, and loses nothing it
// acknowledged; pending webhooks are all delivered afterwards; a statement held up by a lock
// answers 503 at the statement timeout. Runs once (it brings its own PostgreSQL).
import { spawn, type ChildProcess } from 'node:child_process'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type Api, type ApiResponse } from '../../helpers/api.js'
import { fetchJwks } from '../../helpers/cards.js'
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js'
import { BIN, runTessera, startTessera, stop } from '../../helpers/processes.js'
import { tempDir } from '../../helpers/vault.js'
import { startReceiver, type Receiver } from '../events/support/receiver.js'
import { poll, startLoad, type Outcome } from './support/load.js'

const STATEMENT_TIMEOUT_MS = 1_000
const CONNECT_TIMEOUT_MS = 1_000
const OUTAGE_MS = 4_000

let server: PostgresServer
let receiver: Receiver
let child: ChildProcess
let output: () => string
let url: string
let call: Api
let databaseUrl: string
let secretKey: string
let dataDir: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  // Commits acknowledged only once written: a crash must lose nothing the vault acknowledged.
  server = await startPostgres({ durableCommits: true })
  const admin = new pg.Client({ connectionString: server.adminUrl })
  await admin.connect()
  await admin.query('create database tessera_outage')
  await admin.end()
  databaseUrl = server.adminUrl.replace(/\/postgres$/, '/tessera_outage')
  receiver = await startReceiver()
  dataDir = tempDir('tessera-outage-')
  env = {
    DATABASE_URL: databaseUrl,
    TESSERA_DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    TESSERA_DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    TESSERA_RATE_LIMITS: JSON.stringify({ tokenize: { perKey: null, perAddress: null } }),
    TESSERA_ALLOW_PRIVATE_WEBHOOKS: '1',
    TESSERA_LOG_LEVEL: 'info',
  }
  const created = await runTessera(['project', 'create', '--name', 'Outage', '--origin', 'https://shop.example', '--webhook', receiver.url, '--json', '--data', dataDir], env)
  expect(created.code, created.stderr).toBe(0)
  secretKey = JSON.parse(created.stdout).test.secret_key
  const started = await startTessera(['serve', '--port', '0', '--data', dataDir], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/, env)
  child = started.child
  output = started.output
  url = started.match[1] as string
  call = api(url)
}, 90_000)

afterAll(async () => {
  if (child) await stop(child)
  await receiver?.close()
  await server?.stop()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface OutageRun {
  outcomes: Outcome[]
  ready: { at: number; status: number | string }[]
  jwks: { at: number; status: number | string }[]
  crashedAt: number
  backAt: number
}

/** Tokenize load; after a second the database crashes; OUTAGE_MS later it is back; the load goes on until the vault has served again for a second. */
async function outageUnderLoad(): Promise<OutageRun> {
  const jwk = (await fetchJwks(url)).keys[0]!
  const load = startLoad({ url, key: secretKey, jwk, clients: 4, pauseMs: 10, timeoutMs: 15_000, maxRequests: 3_000 })
  const ready = poll(`${url}/health/ready`, 200)
  const jwks = poll(`${url}/v1/jwks`, 500)
  await sleep(1_000)
  const crashedAt = performance.now()
  await server.crash()
  await sleep(OUTAGE_MS)
  await server.restart()
  const backAt = performance.now()
  const deadline = backAt + 15_000
  while (performance.now() < deadline && !load.outcomes.some((o) => o.at > backAt + 1_000 && o.status === 201)) await sleep(100)
  await Promise.all([ready.stop(), jwks.stop()])
  return { outcomes: await load.stop(), ready: ready.samples, jwks: jwks.samples, crashedAt, backAt }
}

function figures(run: OutageRun) {
  const { outcomes, crashedAt, backAt } = run
  const unavailable = outcomes.filter((o) => o.status === 503)
  const firstAfter = outcomes.filter((o) => o.status === 201 && o.at >= backAt).sort((a, b) => a.at + a.ms - (b.at + b.ms))[0]
  return {
    requests: outcomes.length,
    created: outcomes.filter((o) => o.status === 201).length,
    unavailable: unavailable.length,
    errors: outcomes.filter((o) => o.error).length,
    max_503_ms: Math.round(Math.max(...unavailable.map((o) => o.ms))),
    max_ms: Math.round(Math.max(...outcomes.map((o) => o.ms))),
    serving_again_after_return_ms: firstAfter ? Math.round(firstAfter.at + firstAfter.ms - backAt) : null,
    outage_ms: Math.round(backAt - crashedAt),
  }
}

describe('PostgreSQL stopped (immediate) and started again under tokenize load', () => {
  it('keeps the process up, answers 503 database_unavailable meanwhile, serves again by itself and loses no acknowledged token', async () => {
    const run = await outageUnderLoad()
    const measured = figures(run)
    process.stdout.write(`postgres outage figures: ${JSON.stringify(measured)}\n`)
    expect(child.exitCode).toBeNull()
    // Every request got an HTTP answer: no reset, no refused connection, no hang.
    expect(run.outcomes.filter((o) => o.error)).toEqual([])
    expect(run.outcomes.filter((o) => o.status !== 201 && o.status !== 503)).toEqual([])
    const unavailable = run.outcomes.filter((o) => o.status === 503)
    expect(unavailable.length).toBeGreaterThan(0)
    for (const o of unavailable) expect([o.code, o.retryAfter]).toEqual(['database_unavailable', '2'])
    // Bounded: connecting (refused at once, or the connect timeout) plus one statement timeout at worst.
    expect(measured.max_503_ms).toBeLessThan(CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 1_000)
    expect(measured.serving_again_after_return_ms).not.toBeNull()
    expect(measured.serving_again_after_return_ms!).toBeLessThan(5_000)

    // Readiness followed the database: ready before, not ready during, ready again after.
    const during = run.ready.filter((s) => s.at > run.crashedAt + 200 && s.at < run.backAt - 200)
    expect(during.length).toBeGreaterThan(0)
    expect(new Set(during.map((s) => s.status))).toEqual(new Set([503]))
    expect(run.ready.at(-1)?.status).toBe(200)
    // The public keys come from the key ring's memory meanwhile: the checkout can still encrypt.
    expect(new Set(run.jwks.map((s) => s.status))).toEqual(new Set([200]))
    const body = (await call('GET', '/health/ready')).body
    expect(body).toEqual({ status: 'ready', checks: { database: 'ok', master_key: 'ok' } })

    // Every token acknowledged with 201 is there.
    const created = run.outcomes.filter((o) => o.status === 201).map((o) => o.token as string)
    for (let i = 0; i < created.length; i += 16) {
      const reads = await Promise.all(created.slice(i, i + 16).map((token) => call('GET', `/v1/tokens/${token}`, { key: secretKey })))
      expect(reads.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([])
    }
    // One line said why, and one that it is back: not one per request.
    const lines = output().split('\n')
    expect(lines.filter((l) => l.includes('database unavailable')).length).toBeGreaterThanOrEqual(1)
    expect(lines.filter((l) => l.includes('database unavailable')).length).toBeLessThan(unavailable.length)
    expect(lines.some((l) => l.includes('database available again'))).toBe(true)
    expect(lines.filter((l) => l.includes('"msg":"unhandled error"'))).toEqual([])
  }, 90_000)

  it('delivers every pending webhook after the database returns, each once', async () => {
    // The receiver takes its time, so deliveries are in flight when the database goes.
    receiver.answer({ status: 200, afterMs: 300 })
    await outageUnderLoad()
    const events: { id: string; delivery: { status: string } }[] = []
    for (let cursor: string | null = null; ; ) {
      const page: ApiResponse = await call('GET', `/v1/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { key: secretKey })
      expect(page.status).toBe(200)
      events.push(...page.body.data)
      if (!page.body.has_more) break
      cursor = page.body.next_cursor
    }
    expect(events.length).toBeGreaterThan(0)
    // The lease of a claim the crash cut off runs out after 60 s at worst: wait that long for the last ones.
    await receiver.waitFor(events.length, 80_000)
    const ids = receiver.received.map((w) => w.eventId)
    const duplicates = ids.length - new Set(ids).size
    process.stdout.write(`postgres outage webhooks: ${JSON.stringify({ events: events.length, received: ids.length, duplicates })}\n`)
    expect(new Set(ids)).toEqual(new Set(events.map((e) => e.id)))
    expect(duplicates).toBe(0)
    expect(child.exitCode).toBeNull()
  }, 150_000)

  it('waits at start for a database that is not there yet, then serves', async () => {
    await server.crash()
    const second = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    second.stdout.on('data', (d) => (out += d))
    second.stderr.on('data', (d) => (out += d))
    const until = async (pattern: RegExp, what: string) => {
      const deadline = Date.now() + 30_000
      while (!pattern.test(out)) {
        if (Date.now() > deadline || second.exitCode !== null) throw new Error(`${what}:\n${out}`)
        await sleep(50)
      }
      return out.match(pattern) as RegExpMatchArray
    }
    try {
      await until(/database unavailable at start; waiting for it/, 'no wait for the database')
      await sleep(1_000)
      await server.restart()
      const [, secondUrl] = await until(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/, 'not listening after the database came back')
      expect(out).toContain('database reached; starting')
      expect((await api(secondUrl as string)('GET', '/health/ready')).status).toBe(200)
    } finally {
      await stop(second)
    }
  }, 60_000)

  it('answers 503 at the statement timeout when a statement waits on a lock, not a hang', async () => {
    receiver.answer(200)
    const jwk = (await fetchJwks(url)).keys[0]!
    const locker = new pg.Client({ connectionString: databaseUrl })
    await locker.connect()
    try {
      await locker.query('begin')
      await locker.query('lock table tokens in access exclusive mode')
      const load = startLoad({ url, key: secretKey, jwk, clients: 1, pauseMs: 0, timeoutMs: 10_000, maxRequests: 1 })
      const [outcome] = await load.stop()
      expect(outcome).toMatchObject({ status: 503, code: 'database_unavailable' })
      expect(outcome!.ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 50)
      expect(outcome!.ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 1_500)
    } finally {
      await locker.query('rollback')
      await locker.end()
    }
    const jwkAgain = (await fetchJwks(url)).keys[0]!
    const [after] = await startLoad({ url, key: secretKey, jwk: jwkAgain, clients: 1, pauseMs: 0, timeoutMs: 10_000, maxRequests: 1 }).stop()
    expect(after?.status).toBe(201)
  }, 30_000)
})
