// The start-up self-check, through the real CLI (SQLite file, or PostgreSQL with the postgres
// project): a vault whose master key does not unwrap the keys already stored refuses to start
// with exit 1 and one line naming the cause, `serve --workers N` included, and no master key
// is ever generated for a database that already holds wrapped keys.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { createTestDatabase, TEST_RATE_LIMITS, tempDir } from '../../helpers/vault.js'
import type { ChildProcess } from 'node:child_process'

const dataDir = tempDir('tessera-mkcheck-')
let env: NodeJS.ProcessEnv = { TESSERA_RATE_LIMITS: TEST_RATE_LIMITS }
let secretKey: string
const children: ChildProcess[] = []
const URL_LINE = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/

async function serve(extra: NodeJS.ProcessEnv = {}, dir = dataDir): Promise<string> {
  const started = await startTessera(['serve', '--port', '0', '--data', dir], URL_LINE, { ...env, ...extra })
  children.push(started.child)
  return started.match[1] as string
}

/** The one line a refused start prints (stdout carries no "listening" line, stderr nothing else). */
function refusal(out: { code: number | null; stdout: string; stderr: string }): string {
  expect(out.code, out.stdout + out.stderr).toBe(1)
  expect(out.stdout).not.toMatch(/listening/)
  const lines = out.stderr.split('\n').filter((l) => l.trim() !== '')
  expect(lines, out.stderr).toHaveLength(1)
  return lines[0] as string
}

beforeAll(async () => {
  if (process.env.TESSERA_TEST_STORE === 'postgres') env = { ...env, DATABASE_URL: await createTestDatabase() }
  const created = await runTessera(['project', 'create', '--name', 'Check', '--origin', 'https://shop.example', '--json', '--data', dataDir], env)
  expect(created.code, created.stderr).toBe(0)
  secretKey = JSON.parse(created.stdout).test.secret_key
  // A stored card, so the database holds a data key too.
  const url = await serve()
  expect((await api(url)('POST', '/v1/tokens', { key: secretKey, body: { card: await encryptCard(url) } })).status).toBe(201)
  await stop(children.pop() as ChildProcess)
}, 60_000)

afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)))
})

describe('start-up self-check of the master key', () => {
  it('refuses a wrong TESSERA_MASTER_KEY with exit 1 and one line naming the cause', async () => {
    const wrong = crypto.randomBytes(32).toString('hex')
    const line = refusal(await runTessera(['serve', '--port', '0', '--data', dataDir], { ...env, TESSERA_MASTER_KEY: wrong }))
    expect(line).toMatch(/master key does not unwrap the stored .*data keys.* \(key id mk_[0-9a-f]{16}; loaded: mk_[0-9a-f]{16}\); set TESSERA_MASTER_KEY to the key this database was created with/)
    expect(line).not.toContain(wrong)
  })

  it('refuses it in `serve --workers 2` too: the primary exits before any worker starts', async () => {
    const started = Date.now()
    const out = await runTessera(['serve', '--port', '0', '--data', dataDir, '--workers', '2'], { ...env, TESSERA_MASTER_KEY: crypto.randomBytes(32).toString('base64') })
    expect(refusal(out)).toMatch(/master key does not unwrap the stored/)
    // No worker loop: a restarting cluster would not exit at all, let alone at once.
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('refuses to start when master.key was lost, and creates no new key', async () => {
    const keyFile = path.join(dataDir, 'master.key')
    const saved = fs.readFileSync(keyFile)
    fs.rmSync(keyFile)
    try {
      for (const args of [['serve', '--port', '0'], ['serve', '--port', '0', '--workers', '2'], ['keys', 'rotate'], ['keys', 'rotate-master', '--wait-ms', '0']]) {
        const line = refusal(await runTessera([...args, '--data', dataDir], env))
        expect(line, args.join(' ')).toContain(`${keyFile} is missing but the database holds keys wrapped by master key mk_`)
        expect(line).toMatch(/restore .*master\.key/)
        expect(fs.existsSync(keyFile), `${args.join(' ')} created a master key`).toBe(false)
      }
    } finally {
      fs.writeFileSync(keyFile, saved, { mode: 0o600 })
    }
  })

  it('refuses a key file that holds another key', async () => {
    const other = tempDir('tessera-mkcheck-other-')
    if (!env.DATABASE_URL) fs.copyFileSync(path.join(dataDir, 'tessera.db'), path.join(other, 'tessera.db'))
    fs.writeFileSync(path.join(other, 'master.key'), crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600 })
    // SQLite: a copy of the database beside a wrong key file; PostgreSQL: the same database.
    const line = refusal(await runTessera(['serve', '--port', '0', '--data', other], env))
    expect(line).toMatch(/master key does not unwrap the stored .*\(key id mk_.*restore .*master\.key/)
  })

  it('starts with the right key, from the file or from TESSERA_MASTER_KEY, and serves the stored cards', async () => {
    const fromFile = await serve()
    expect((await api(fromFile)('POST', '/v1/tokens', { key: secretKey, body: { card: await encryptCard(fromFile, { number: '5555555555554444' }) } })).status).toBe(201)
    await stop(children.pop() as ChildProcess)
    const key = fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim()
    // On another host (an empty data folder) the database's key comes from the environment.
    const elsewhere = tempDir('tessera-mkcheck-env-')
    if (env.DATABASE_URL) {
      const url = await serve({ TESSERA_MASTER_KEY: key }, elsewhere)
      expect((await api(url)('POST', '/v1/tokens', { key: secretKey, body: { card: await encryptCard(url) } })).status).toBe(201)
      expect(fs.existsSync(path.join(elsewhere, 'master.key'))).toBe(false)
      // That host without the key: refused, and no key file appears there.
      expect(refusal(await runTessera(['serve', '--port', '0', '--data', elsewhere], env))).toContain('is missing but the database holds keys')
      expect(fs.existsSync(path.join(elsewhere, 'master.key'))).toBe(false)
    } else {
      const url = await serve({ TESSERA_MASTER_KEY: key })
      expect((await api(url)('POST', '/v1/tokens', { key: secretKey, body: { card: await encryptCard(url) } })).status).toBe(201)
    }
  })
})
