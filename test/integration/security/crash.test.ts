// Crash safety: a vault process killed with SIGKILL in the middle of a tokenize load loses no
// acknowledged token, leaves a consistent SQLite file, and never two tokens for one card.
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import type { ChildProcess } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { DOCUMENTED_TEST_CARDS } from '../../../common/test-cards.js'
import { api } from '../../helpers/api.js'
import { encryptCard, fetchJwks } from '../../helpers/cards.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { TEST_RATE_LIMITS, tempDir } from '../../helpers/vault.js'

const dataDir = tempDir('tessera-crash-')
const env = { TESSERA_LOG_LEVEL: 'warn', TESSERA_RATE_LIMITS: TEST_RATE_LIMITS }
const children: ChildProcess[] = []
afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)))
})

async function serve() {
  const started = await startTessera(['serve', '--port', '0', '--data', dataDir], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/, { ...env, TESSERA_LOG_LEVEL: 'info' })
  children.push(started.child)
  return { url: started.match[1] as string, child: started.child }
}

async function project(...flags: string[]) {
  const out = await runTessera(['project', 'create', '--name', 'Crash', '--origin', 'https://shop.example', '--json', '--data', dataDir, ...flags], env)
  return JSON.parse(out.stdout) as { project_id: string; test: { secret_key: string } }
}

const cvcFor = (n: string) => (n.length === 15 ? '1234' : '123')

describe('crash safety', () => {
  it('keeps every acknowledged token through a SIGKILL mid-load', async () => {
    const unique = await project('--token-management', 'unique-account')
    const plain = await project()
    const first = await serve()
    const call = api(first.url)
    const jwk = (await fetchJwks(first.url)).keys[0]
    const acknowledged = new Map<string, string>()
    let killed = false
    let sent = 0
    const client = async (i: number) => {
      for (let n = 0; !killed && n < 2000; n++) {
        const key = i % 2 ? unique.test.secret_key : plain.test.secret_key
        const number = DOCUMENTED_TEST_CARDS[(i * 7 + n) % DOCUMENTED_TEST_CARDS.length] as string
        sent++
        const res = await call('POST', '/v1/tokens', { key, body: { card: await encryptCard(first.url, { number, cvc: cvcFor(number) }, { jwk }) } }).catch(() => null)
        if (res && (res.status === 201 || res.status === 200)) acknowledged.set(res.body.token, key)
      }
    }
    const load = Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(client))
    await new Promise((r) => setTimeout(r, 1500))
    first.child.kill('SIGKILL')
    killed = true
    await load
    children.splice(children.indexOf(first.child), 1)
    expect(acknowledged.size).toBeGreaterThan(20)

    const second = await serve()
    const after = api(second.url)
    let found = 0
    for (const [token, key] of acknowledged) {
      const res = await after('GET', `/v1/tokens/${token}`, { key })
      if (res.status === 200) found++
    }
    process.stderr.write(`crash: ${sent} requests sent, ${acknowledged.size} tokens acknowledged before SIGKILL, ${found} found after restart\n`)
    expect(found).toBe(acknowledged.size)

    const db = new BetterSqlite3(path.join(dataDir, 'tessera.db'), { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      const perCard = db.prepare(`select fingerprint, count(*) n from tokens where project_id = ? group by mode, fingerprint`).all(unique.project_id) as { n: number }[]
      expect(perCard.filter((r) => r.n > 1)).toEqual([])
      expect(perCard.length).toBeLessThanOrEqual(DOCUMENTED_TEST_CARDS.length)
    } finally {
      db.close()
    }
    // The restarted vault keeps serving.
    expect((await after('POST', '/v1/tokens', { key: plain.test.secret_key, body: { card: await encryptCard(second.url) } })).status).toBe(201)
  }, 120_000)
})
