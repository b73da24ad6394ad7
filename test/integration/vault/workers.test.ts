// `tessera serve --workers 2` on one database (SQLite file or PostgreSQL) under concurrent
// tokenize load: the workers commit their writes in groups (SQLite) or one transaction each
// (PostgreSQL), and still one JWE is stored once, one card gets one token in a unique-account
// project, and the audit chain passes `tessera audit verify` with every event in place.
import type { ChildProcess } from 'node:child_process'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encryptCard } from '../../helpers/cards.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { createTestDatabase, tempDir } from '../../helpers/vault.js'

const dataDir = tempDir('tessera-workers-')
let env: NodeJS.ProcessEnv = { TESSERA_RATE_LIMITS: JSON.stringify({ tokenize: { perKey: null, perAddress: null } }) }
let server: { child: ChildProcess; output: () => string }
let url: string
let plain: { project_id: string; test: { secret_key: string } }
let unique: { project_id: string; test: { secret_key: string } }

/** One POST on a connection of its own, so the workers share the requests (node:cluster hands out connections). */
function post(path: string, key: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body)
    const req = http.request(url + path, { method: 'POST', agent: false, timeout: 20_000, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(data)
  })
}

/** Runs `tasks` with at most `inFlight` at once. */
async function pool<T>(tasks: (() => Promise<T>)[], inFlight: number): Promise<T[]> {
  const results: T[] = []
  let next = 0
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await (tasks[i] as () => Promise<T>)()
    }
  }))
  return results
}

async function project(...flags: string[]) {
  const out = await runTessera(['project', 'create', '--name', 'Workers', '--origin', 'https://shop.example', '--json', '--data', dataDir, ...flags], env)
  expect(out.code, out.stderr).toBe(0)
  return JSON.parse(out.stdout)
}

/** The pids of the workers that logged a tokenize request. */
const tokenizingWorkers = () => new Set([...server.output().matchAll(/"pid":(\d+)[^\n]*"method":"POST"[^\n]*"path":"\/v1\/tokens"/g)].map((m) => m[1]))

beforeAll(async () => {
  if (process.env.TESSERA_TEST_STORE === 'postgres') env = { ...env, DATABASE_URL: await createTestDatabase() }
  plain = await project()
  unique = await project('--token-management', 'unique-account')
  const started = await startTessera(['serve', '--port', '0', '--data', dataDir, '--workers', '2'], /(?:"msg":"vault worker listening"[\s\S]*){2}/, env, 60_000)
  server = started
  const port = started.output().match(/"port":(\d+),"msg":"vault worker listening"/)?.[1]
  url = `http://127.0.0.1:${port}`
}, 90_000)

afterAll(async () => {
  if (server) await stop(server.child)
})

describe('tessera serve --workers 2 under concurrent tokenize load', () => {
  it('stores each of 120 cards once and leaves one audit chain that verifies', async () => {
    const cards = await Promise.all(Array.from({ length: 120 }, () => encryptCard(url)))
    const results = await pool(cards.map((card) => () => post('/v1/tokens', plain.test.secret_key, { card })), 24)
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([])
    expect(new Set(results.map((r) => r.body.token)).size).toBe(120)
    expect(tokenizingWorkers().size).toBe(2)
    const out = await runTessera(['audit', 'verify', '--project', plain.project_id, '--data', dataDir], env)
    expect(out.code, out.stdout + out.stderr).toBe(0)
    expect(out.stdout).toContain(`${plain.project_id} test: 120 events`)
  })

  it('stores a JWE sent to both workers at once exactly once; the others are refused as replays', async () => {
    for (let round = 0; round < 3; round++) {
      const card = await encryptCard(url)
      const results = await Promise.all(Array.from({ length: 12 }, () => post('/v1/tokens', plain.test.secret_key, { card })))
      expect(results.filter((r) => r.status === 201)).toHaveLength(1)
      expect(results.filter((r) => r.status === 400).map((r) => r.body.error.code)).toEqual(Array(11).fill('replayed_card_encryption'))
    }
    const out = await runTessera(['audit', 'verify', '--project', plain.project_id, '--data', dataDir], env)
    expect(out.stdout).toContain(`${plain.project_id} test: 123 events`)
  })

  it('gives one card one token in a unique-account project, however its requests are spread', async () => {
    const number = '5555555555554444'
    const cards = await Promise.all(Array.from({ length: 16 }, () => encryptCard(url, { number })))
    const results = await Promise.all(cards.map((card) => post('/v1/tokens', unique.test.secret_key, { card })))
    expect(results.map((r) => r.status).sort()).toEqual([...Array(15).fill(200), 201])
    expect(new Set(results.map((r) => r.body.token)).size).toBe(1)
    const out = await runTessera(['audit', 'verify', '--project', unique.project_id, '--data', dataDir], env)
    expect(out.code, out.stdout + out.stderr).toBe(0)
    expect(out.stdout).toContain(`${unique.project_id} test: 1 events`)
  })
})
