// Rotating the JWE key and the master key while a vault process serves a steady load: no
// request fails, frames holding the previous JWKS keep working, and afterwards a restarted
// vault needs only the new master key.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { localKeySource, MASTER_KEY_FILE, PREVIOUS_KEYS_FILE } from '../../../backend/crypto/master-key.js'
import { loadConfig } from '../../../backend/config.js'
import { createLogger } from '../../../backend/logger.js'
import { createVault } from '../../../backend/vault.js'
import { api } from '../../helpers/api.js'
import { encryptCard, fetchJwks } from '../../helpers/cards.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { TEST_RATE_LIMITS, tempDir } from '../../helpers/vault.js'
import type { ChildProcess } from 'node:child_process'

const dataDir = tempDir('tessera-rotation-')
const env = { TESSERA_MASTER_KEY_RELOAD_MS: '300', TESSERA_LOG_LEVEL: 'warn', TESSERA_RATE_LIMITS: TEST_RATE_LIMITS }
const children: ChildProcess[] = []
afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)))
})

async function serve(): Promise<string> {
  const started = await startTessera(['serve', '--port', '0', '--data', dataDir], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/, { ...env, TESSERA_LOG_LEVEL: 'info' })
  children.push(started.child)
  return started.match[1] as string
}

async function project(name: string) {
  const out = await runTessera(['project', 'create', '--name', name, '--origin', 'https://shop.example', '--json', '--data', dataDir], env)
  expect(out.code).toBe(0)
  return JSON.parse(out.stdout) as { project_id: string; test: { publishable_key: string; secret_key: string } }
}

describe('key rotation without downtime', () => {
  it('rotates the JWE key and the master key under load with zero failed requests', async () => {
    const a = await project('A')
    const url = await serve()
    const call = api(url)
    const previousJwks = (await fetchJwks(url)).keys
    let stopLoad = false
    const outcomes: number[] = []
    let freshProject: Awaited<ReturnType<typeof project>> | undefined
    // Half the clients keep the JWKS they fetched before the rotation; half refetch it.
    const client = async (i: number) => {
      while (!stopLoad) {
        const jwk = i % 2 ? previousJwks[0] : (await fetchJwks(url)).keys[0]
        const target = freshProject && i % 3 === 0 ? freshProject : a
        const res = await call('POST', '/v1/tokens', { key: target.test.publishable_key, body: { card: await encryptCard(url, {}, { jwk }) } })
        outcomes.push(res.status)
        if (res.status !== 201) process.stderr.write(`failed: ${res.status} ${JSON.stringify(res.body)}\n`)
      }
    }
    const load = Promise.all([0, 1, 2, 3, 4, 5].map(client))
    await new Promise((r) => setTimeout(r, 500))

    const jwe = await runTessera(['keys', 'rotate', '--data', dataDir], env)
    expect(jwe.code).toBe(0)
    await new Promise((r) => setTimeout(r, 500))
    const oldMaster = fs.readFileSync(path.join(dataDir, MASTER_KEY_FILE), 'utf8')
    const master = runTessera(['keys', 'rotate-master', '--data', dataDir, '--wait-ms', '1000'], env)
    await new Promise((r) => setTimeout(r, 300))
    // A project created in the middle of the master rotation.
    freshProject = await project('C')
    const masterOut = await master
    await new Promise((r) => setTimeout(r, 500))
    stopLoad = true
    await load

    expect(masterOut.code, masterOut.stdout + masterOut.stderr).toBe(0)
    expect(masterOut.stdout).toMatch(/no longer needed and was removed/)
    expect(outcomes.length).toBeGreaterThan(50)
    expect(outcomes.filter((s) => s !== 201)).toEqual([])
    process.stderr.write(`key rotation under load: ${outcomes.length} requests, ${outcomes.filter((s) => s !== 201).length} failed\n`)

    // Every wrapped key is under the new master key; the old one is gone from every file.
    expect(fs.readFileSync(path.join(dataDir, MASTER_KEY_FILE), 'utf8')).not.toBe(oldMaster)
    expect(fs.readFileSync(path.join(dataDir, PREVIOUS_KEYS_FILE), 'utf8')).toBe('')
    const vault = await createVault(loadConfig({}, { dataDir }), { logger: createLogger({ level: 'silent' }), keySource: localKeySource({ dataDir }) })
    try {
      const current = localKeySource({ dataDir }).currentKeyId
      for (const table of ['projects', 'data_keys', 'jwe_keys', 'webhook_keys'] as const) {
        const ids = await vault.store.db.selectFrom(table).select('master_key_id').distinct().execute()
        expect(ids.map((r) => r.master_key_id), table).toEqual([current])
      }
      // A stored card still opens with the new key alone.
      const row = await vault.store.db.selectFrom('tokens').selectAll().where('project_id', '=', a.project_id).limit(1).executeTakeFirstOrThrow()
      const number = await vault.cipher.open({ dataKeyId: row.data_key_id as string, ciphertext: row.card_ciphertext as string }, { projectId: row.project_id, mode: row.mode, token: row.token })
      expect(number.last4).toBe(row.last4)
    } finally {
      await vault.close()
    }

    // A restarted vault, holding only the new master key, serves both projects.
    await stop(children.pop() as ChildProcess)
    const restartedUrl = await serve()
    const restarted = api(restartedUrl)
    for (const p of [a, freshProject as NonNullable<typeof freshProject>]) {
      const res = await restarted('POST', '/v1/tokens', { key: p.test.secret_key, body: { card: await encryptCard(restartedUrl) } })
      expect(res.status).toBe(201)
    }
  }, 120_000)
})
