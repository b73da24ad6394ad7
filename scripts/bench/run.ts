// `npm run bench`: loads a real vault process from this process over loopback and prints a
// results table (markdown). Every phase is bounded in request count and time.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CompactEncrypt, importJWK, type JWK } from 'jose'
import { loadConfig } from '../../backend/config.js'
import { createLogger } from '../../backend/logger.js'
import { createVault } from '../../backend/vault.js'
import { DOCUMENTED_TEST_CARDS } from '../../backend/verification/test-cards.js'
import { tokenizeCeiling } from './ceiling.js'
import { load, type LoadResult } from './load.js'
import { seedTokens } from './seed.js'
import { startVaultProcess, type VaultProcess } from './vault-process.js'

const quick = process.argv.includes('--quick')
const COUNTS = { tokenize: quick ? 1500 : 6000, retrieve: quick ? 10_000 : 60_000, ceiling: quick ? 1500 : 4000, large: quick ? 100_000 : 1_000_000 }
const rows: string[] = []

function row(name: string, connections: number | string, r: LoadResult | { rps: number; p50?: number; p99?: number }, note = '') {
  const line = `| ${name} | ${connections} | ${r.rps.toLocaleString('en')} | ${'p50' in r && r.p50 !== undefined ? r.p50 : '-'} | ${'p99' in r && r.p99 !== undefined ? r.p99 : '-'} | ${note} |`
  rows.push(line)
  process.stderr.write(line + '\n')
}

async function encryptMany(jwk: JWK & { kid: string }, count: number): Promise<string[]> {
  const key = await importJWK(jwk, 'ECDH-ES')
  const out: string[] = []
  const now = Math.floor(Date.now() / 1000)
  for (let i = 0; i < count; i++) {
    const number = DOCUMENTED_TEST_CARDS[i % 8] as string
    const payload = { number, exp_month: 1 + (i % 12), exp_year: 2030, cvc: number.length === 15 ? '1234' : '123', iat: now, jti: crypto.randomUUID() }
    out.push(await new CompactEncrypt(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: jwk.kid }).encrypt(key))
  }
  return out
}

interface Setup {
  dataDir: string
  secretKey: string
  projectId: string
  jwk: JWK & { kid: string }
}

async function prepare(seed = 0): Promise<Setup> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'))
  const vault = await createVault(loadConfig({}, { dataDir }), { logger: createLogger({ level: 'warn' }) })
  const { project, keys } = await vault.projects.create({ name: 'Bench', allowedOrigins: ['https://shop.example'] })
  if (seed > 0) await seedTokens(vault, project.id, seed)
  const jwk = (await vault.keyRing.jwks()).keys[0] as JWK & { kid: string }
  await vault.close()
  return { dataDir, secretKey: keys.test.secret_key, projectId: project.id, jwk }
}

async function tokenizeRun(vault: VaultProcess, setup: Setup, connections: number, count = COUNTS.tokenize): Promise<{ result: LoadResult; tokens: string[] }> {
  const jwes = await encryptMany(setup.jwk, count)
  const result = await load({
    url: vault.url,
    connections,
    headers: { authorization: `Bearer ${setup.secretKey}`, 'content-type': 'application/json' },
    requests: jwes.map((card) => ({ method: 'POST', path: '/v1/tokens', body: JSON.stringify({ card }) })),
  })
  const res = await fetch(`${vault.url}/v1/tokens/search`, { method: 'POST', headers: { authorization: `Bearer ${setup.secretKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ limit: 100 }) })
  const tokens = ((await res.json()) as { data: { token: string }[] }).data.map((t) => t.token)
  return { result, tokens }
}

async function retrieveRun(vault: VaultProcess, setup: Setup, tokens: string[], connections: number): Promise<LoadResult> {
  return load({
    url: vault.url,
    connections,
    headers: { authorization: `Bearer ${setup.secretKey}` },
    requests: Array.from({ length: COUNTS.retrieve }, (_, i) => ({ method: 'GET' as const, path: `/v1/tokens/${tokens[i % tokens.length]}` })),
  })
}

async function searchRun(vault: VaultProcess, setup: Setup, connections: number): Promise<LoadResult> {
  const jwes = await encryptMany(setup.jwk, COUNTS.tokenize / 2)
  return load({
    url: vault.url,
    connections,
    headers: { authorization: `Bearer ${setup.secretKey}`, 'content-type': 'application/json' },
    requests: jwes.map((card) => ({ method: 'POST', path: '/v1/tokens/search', body: JSON.stringify({ card, limit: 10 }) })),
  })
}

function check(result: LoadResult, label: string) {
  if (result.non2xx > 0 || result.errors > 0) process.stderr.write(`warning: ${label}: ${result.non2xx} non-2xx, ${result.errors} errors\n`)
}

async function main() {
  process.stderr.write(`Tessera benchmark on ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}${quick ? ' (quick)' : ''}\n`)
  // 1. The in-process ceiling for the tokenize work.
  const inProc = await prepare()
  const vault = await createVault(loadConfig({}, { dataDir: inProc.dataDir }), { logger: createLogger({ level: 'warn' }) })
  const principal = await vault.projects.authenticate(inProc.secretKey)
  if (!principal) throw new Error('bench key did not authenticate')
  const serial = await tokenizeCeiling(vault, principal, await encryptMany(inProc.jwk, COUNTS.ceiling), 1)
  const parallel = await tokenizeCeiling(vault, principal, await encryptMany(inProc.jwk, COUNTS.ceiling), 32)
  await vault.close()
  row('tokenize, in-process ceiling', '1 in flight', { rps: serial.perSecond })
  row('tokenize, in-process ceiling', '32 in flight', { rps: parallel.perSecond })

  // 2. HTTP tokenize and retrieve, one process, at 1, 8 and 32 connections.
  const setup = await prepare()
  const one = await startVaultProcess(setup.dataDir)
  let tokens: string[] = []
  for (const c of [1, 8, 32]) {
    const t = await tokenizeRun(one, setup, c, c === 1 ? COUNTS.tokenize / 3 : COUNTS.tokenize)
    check(t.result, `tokenize ${c}`)
    tokens = t.tokens
    const ceiling = c === 1 ? serial.perSecond : parallel.perSecond
    row('tokenize (basic, random)', c, t.result, `${Math.round((100 * t.result.rps) / ceiling)} % of ceiling`)
  }
  for (const c of [1, 8, 32]) {
    const r = await retrieveRun(one, setup, tokens, c)
    check(r, `retrieve ${c}`)
    row('retrieve', c, r)
  }
  await one.stop()

  // 3. Two worker processes.
  const two = await startVaultProcess(setup.dataDir, 2)
  const t2 = await tokenizeRun(two, setup, 32)
  row('tokenize, --workers 2', 32, t2.result, `${Math.round((100 * t2.result.rps) / parallel.perSecond)} % of 1-process ceiling`)
  row('retrieve, --workers 2', 32, await retrieveRun(two, setup, t2.tokens, 32))
  await two.stop()

  // 4. Stored-token counts: 10k and the large repository.
  for (const stored of [10_000, COUNTS.large]) {
    const seeded = await prepare(stored)
    const v = await startVaultProcess(seeded.dataDir)
    const label = stored >= 1_000_000 ? `${stored / 1_000_000}M` : `${stored / 1000}k`
    const t = await tokenizeRun(v, seeded, 32)
    row(`tokenize at ${label} stored`, 32, t.result)
    row(`retrieve at ${label} stored`, 32, await retrieveRun(v, seeded, t.tokens, 32))
    row(`search by card at ${label} stored`, 32, await searchRun(v, seeded, 32))
    await v.stop()
    fs.rmSync(seeded.dataDir, { recursive: true, force: true })
  }

  process.stdout.write(`\n| benchmark | connections | req/s | p50 ms | p99 ms | note |\n| --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`)
}

await main()
