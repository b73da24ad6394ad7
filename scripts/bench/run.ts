// `npm run bench`: in one run, the in-process ceiling, the bare reference tokenizer
// (reference.ts) and the vault as its own process, loaded from this process over loopback, at 1
// and 32 connections, plus retrieve; ratios against the reference. Bounded to a few minutes;
// larger runs through the environment (docs/performance.md lists the variables).
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { CompactEncrypt, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import { loadConfig } from '../../backend/config.js'
import { createLogger } from '../../backend/logger.js'
import { createVault } from '../../backend/vault.js'
import { DOCUMENTED_TEST_CARDS } from '../../common/test-cards.js'
import { startPostgres } from '../../test/helpers/postgres-server.js'
import { tokenizeCeiling } from './ceiling.js'
import { decryptRates } from './decrypt.js'
import { load, type LoadResult } from './load.js'
import { seedTokens } from './seed.js'
import { startReferenceProcess, startVaultProcess, type VaultProcess } from './vault-process.js'

const quick = process.argv.includes('--quick')
/** `--only retrieve,stored`: just those phases (ceiling, tokenize, retrieve, workers, postgres, stored). */
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? '').split(',')) : undefined
const phase = (name: string) => !only || only.has(name)
const envCount = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]))
const COUNTS = {
  tokenize: envCount('TESSERA_BENCH_TOKENIZE', quick ? 600 : 3000),
  retrieve: envCount('TESSERA_BENCH_RETRIEVE', quick ? 5000 : 30_000),
  warmup: quick ? 100 : 300,
  ceiling: envCount('TESSERA_BENCH_CEILING', quick ? 400 : 1500),
  /** Stored tokens for the large-repository phase; 0 leaves it out. */
  stored: envCount('TESSERA_BENCH_STORED', 0),
}
const POSTGRES = process.env.TESSERA_BENCH_POSTGRES === '1'
/** Rounds of the side-by-side phases (vault and reference alternating). */
const ROUNDS = envCount('TESSERA_BENCH_ROUNDS', 3)
const rows: string[] = []
const ratios: string[] = []

const loadAverage = () => os.loadavg()[0]?.toFixed(2) ?? '?'
function row(name: string, server: string, connections: number | string, r: { rps: number; p50?: number; p99?: number }, note = '') {
  const line = `| ${name} | ${server} | ${connections} | ${r.rps.toLocaleString('en')} | ${r.p50 ?? '-'} | ${r.p99 ?? '-'} | load ${loadAverage()}${note ? `; ${note}` : ''} |`
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
  databaseUrl: string | undefined
  secretKey: string
  projectId: string
  jwk: JWK & { kid: string }
  /** Seeded tokens spread over the whole table (prepare with seed > 0). */
  seeded: string[]
}

async function prepare(databaseUrl?: string, seed = 0): Promise<Setup> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'))
  const vault = await createVault(loadConfig(databaseUrl ? { DATABASE_URL: databaseUrl } : {}, { dataDir }), { logger: createLogger({ level: 'warn' }) })
  const { project, keys } = await vault.projects.create({ name: 'Bench', allowedOrigins: ['https://shop.example'] })
  const seeded = seed > 0 ? await seedTokens(vault, project.id, seed) : []
  const jwk = (await vault.keyRing.jwks()).keys[0] as JWK & { kid: string }
  await vault.close()
  return { dataDir, databaseUrl, secretKey: keys.test.secret_key, projectId: project.id, jwk, seeded }
}

/** The reference gets its own migrated database file, its own key pair and key. */
async function startReference(): Promise<{ server: VaultProcess; setup: Setup }> {
  const base = await prepare()
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true })
  const kid = 'ref-1'
  const secretKey = 'sk_test_' + crypto.randomBytes(24).toString('base64url')
  const server = await startReferenceProcess(base.dataDir, {
    dbFile: path.join(base.dataDir, 'tessera.db'),
    keyHash: crypto.createHash('sha256').update(secretKey).digest('hex'),
    projectId: base.projectId,
    jwk: { ...(await exportJWK(privateKey)), kid },
    fingerprintKey: crypto.randomBytes(32).toString('base64url'),
    dataKey: crypto.randomBytes(32).toString('base64url'),
  })
  return { server, setup: { ...base, secretKey, jwk: { ...(await exportJWK(publicKey)), kid } } }
}

/** A load run with the server's CPU time per answer: steadier than req/s when other work shares the cores. */
async function withCpu(server: VaultProcess, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = server.cpuMs()
  const result = await run()
  const ok = result.requests - result.non2xx - result.errors
  return { ...result, serverCpuUs: ok > 0 ? Math.round(((server.cpuMs() - before) * 1000) / ok) : Number.NaN }
}

async function tokenizeRun(server: VaultProcess, setup: Setup, connections: number, count: number): Promise<{ result: LoadResult; tokens: string[] }> {
  const jwes = await encryptMany(setup.jwk, count)
  const tokens: string[] = []
  const result = await withCpu(server, () => load({
    url: server.url,
    connections,
    headers: { authorization: `Bearer ${setup.secretKey}`, 'content-type': 'application/json' },
    requests: jwes.map((card) => ({ method: 'POST', path: '/v1/tokens', body: JSON.stringify({ card }) })),
    onBody: (body) => tokens.length < 200 && tokens.push((JSON.parse(body) as { token: string }).token),
  }))
  check(result, `tokenize ${connections}`)
  return { result, tokens }
}

async function retrieveRun(server: VaultProcess, setup: Setup, tokens: string[], connections: number, count = COUNTS.retrieve): Promise<LoadResult> {
  const result = await withCpu(server, () => load({
    url: server.url,
    connections,
    headers: { authorization: `Bearer ${setup.secretKey}` },
    requests: Array.from({ length: count }, (_, i) => ({ method: 'GET' as const, path: `/v1/tokens/${tokens[i % tokens.length]}` })),
  }))
  check(result, `retrieve ${connections}`)
  return result
}

async function searchRun(server: VaultProcess, setup: Setup, connections: number): Promise<LoadResult> {
  const jwes = await encryptMany(setup.jwk, COUNTS.tokenize / 2)
  return load({
    url: server.url,
    connections,
    headers: { authorization: `Bearer ${setup.secretKey}`, 'content-type': 'application/json' },
    requests: jwes.map((card) => ({ method: 'POST', path: '/v1/tokens/search', body: JSON.stringify({ card, limit: 10 }) })),
  })
}

function check(result: LoadResult, label: string) {
  if (result.non2xx > 0 || result.errors > 0) process.stderr.write(`warning: ${label}: ${result.non2xx} non-2xx, ${result.errors} errors\n`)
}

async function ceiling(): Promise<void> {
  const inProc = await prepare()
  const vault = await createVault(loadConfig({}, { dataDir: inProc.dataDir }), { logger: createLogger({ level: 'warn' }) })
  const principal = await vault.projects.authenticate(inProc.secretKey)
  if (!principal) throw new Error('bench key did not authenticate')
  const serial = await tokenizeCeiling(vault, principal, await encryptMany(inProc.jwk, COUNTS.ceiling), 1)
  const parallel = await tokenizeCeiling(vault, principal, await encryptMany(inProc.jwk, COUNTS.ceiling), 32)
  await vault.close()
  row('tokenize, in-process ceiling', 'vault', '1 in flight', { rps: serial.perSecond })
  row('tokenize, in-process ceiling', 'vault', '32 in flight', { rps: parallel.perSecond })
  const decrypt = await decryptRates(COUNTS.ceiling)
  row('JWE decrypt alone, node:crypto', 'in-process', '1 in flight', { rps: decrypt.node })
  row('JWE decrypt alone, jose (WebCrypto)', 'in-process', '1 in flight', { rps: decrypt.jose })
  row('JWE decrypt alone, jose (WebCrypto)', 'in-process', '32 in flight', { rps: decrypt.jose32 })
  ratios.push(`| JWE decrypt, node:crypto / jose | ${(decrypt.node / decrypt.jose).toFixed(2)}x (${decrypt.node} vs ${decrypt.jose}) | - |`)
}

type Side = 'ref' | 'vault'
type Round = Record<Side, LoadResult>

async function paired(run: (side: Side) => Promise<LoadResult>): Promise<Round[]> {
  const rounds: Round[] = []
  for (let i = 0; i < ROUNDS; i++) {
    const order: Side[] = i % 2 === 0 ? ['ref', 'vault'] : ['vault', 'ref']
    const round = {} as Round
    for (const side of order) round[side] = await run(side)
    rounds.push(round)
  }
  return rounds
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

function report(work: string, connections: number, rounds: Round[]) {
  const side = (s: Side) => ({ rps: Math.round(median(rounds.map((r) => r[s].rps))), p50: median(rounds.map((r) => r[s].p50)), p99: median(rounds.map((r) => r[s].p99)) })
  const [ref, vault] = [side('ref'), side('vault')]
  const each = rounds.map((r) => (r.vault.rps / r.ref.rps).toFixed(2)).join(', ')
  row(work, 'reference', connections, ref, `median of ${rounds.length}`)
  row(work, 'vault', connections, vault, `median of ${rounds.length}`)
  const rpsRatio = median(rounds.map((r) => r.vault.rps / r.ref.rps))
  const p99Ratios = rounds.map((r) => (r.ref.p99 > 0 ? r.vault.p99 / r.ref.p99 : Number.NaN))
  const p99Ratio = median(p99Ratios)
  const cpu = (s: Side) => median(rounds.map((r) => r[s].serverCpuUs ?? Number.NaN))
  const line = `| ${work}, ${connections} connection${connections === 1 ? '' : 's'} | ${rpsRatio.toFixed(2)}x (rounds ${each}; ${vault.rps.toLocaleString('en')} vs ${ref.rps.toLocaleString('en')}) | ${p99Ratio.toFixed(2)}x (rounds ${p99Ratios.map((x) => x.toFixed(2)).join(', ')}; ${vault.p99} vs ${ref.p99} ms) | ${(cpu('vault') / cpu('ref')).toFixed(2)}x (${cpu('vault')} vs ${cpu('ref')} µs) |`
  ratios.push(line)
  process.stderr.write(line + '\n')
}

/** Vault and reference side by side, phase by phase, so each ratio compares neighbouring minutes. */
async function sideBySide(): Promise<Setup> {
  const ref = await startReference()
  const setup = await prepare()
  const vault = await startVaultProcess(setup.dataDir)
  const tokens = { vault: [] as string[], ref: [] as string[] }
  // Warm both (JIT, caches) with unrecorded work before the first measured phase.
  tokens.ref = await warm(ref.server, ref.setup)
  tokens.vault = await warm(vault, setup)
  // Rounds alternate which server goes first; each side's figure is its median round, and the
  // ratio is the median of the rounds' own ratios (neighbouring seconds share the machine's load).
  for (const c of phase('tokenize') ? [1, 32] : []) {
    const count = Math.round((c === 1 ? COUNTS.tokenize / 3 : COUNTS.tokenize) / ROUNDS)
    const rounds = await paired(async (side) => {
      const t = side === 'ref' ? await tokenizeRun(ref.server, ref.setup, c, count) : await tokenizeRun(vault, setup, c, count)
      tokens[side] = t.tokens
      return t.result
    })
    report('tokenize', c, rounds)
  }
  if (phase('retrieve')) report('retrieve', 32, await paired((side) => (side === 'ref' ? retrieveRun(ref.server, ref.setup, tokens.ref, 32, COUNTS.retrieve / ROUNDS) : retrieveRun(vault, setup, tokens.vault, 32, COUNTS.retrieve / ROUNDS))))
  await Promise.all([vault.stop(), ref.server.stop()])
  fs.rmSync(ref.setup.dataDir, { recursive: true, force: true })
  return setup
}

/** Unrecorded work (JIT, caches); answers the tokens it made. */
async function warm(server: VaultProcess, setup: Setup): Promise<string[]> {
  const { tokens } = await tokenizeRun(server, setup, 8, COUNTS.warmup)
  await retrieveRun(server, setup, tokens, 8, COUNTS.warmup * 4)
  return tokens
}

/**
 * One process against two on the same store, tokenize and retrieve at 32 connections, in
 * alternating rounds as the side-by-side phases (one then two, two then one, ...): each figure
 * is its median round, the ratio the median of the rounds' own ratios; CPU counts every process.
 */
async function workers(setup: Setup, label: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const tokenize: Record<1 | 2, LoadResult[]> = { 1: [], 2: [] }
  const retrieve: Record<1 | 2, LoadResult[]> = { 1: [], 2: [] }
  for (let i = 0; i < ROUNDS; i++) {
    for (const n of i % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
      const server = await startVaultProcess(setup.dataDir, n, env)
      await warm(server, setup)
      // A fresh server each round: warmed as long as it is measured (each of two workers JITs on
      // its own half of the requests), or the cold start counts against two processes twice.
      await tokenizeRun(server, setup, 32, Math.round(COUNTS.tokenize / ROUNDS))
      const t = await tokenizeRun(server, setup, 32, Math.round(COUNTS.tokenize / ROUNDS))
      tokenize[n].push(t.result)
      retrieve[n].push(await retrieveRun(server, setup, t.tokens, 32, Math.round(COUNTS.retrieve / ROUNDS)))
      await server.stop()
    }
  }
  const mid = (results: LoadResult[]) => ({ rps: Math.round(median(results.map((r) => r.rps))), p50: median(results.map((r) => r.p50)), p99: median(results.map((r) => r.p99)) })
  const cpu = (results: LoadResult[]) => median(results.map((r) => r.serverCpuUs ?? Number.NaN))
  for (const n of [1, 2] as const) {
    row(`tokenize, --workers ${n}`, `vault, ${label}`, 32, mid(tokenize[n]), `median of ${ROUNDS}; CPU ${cpu(tokenize[n])} µs/answer`)
    row(`retrieve, --workers ${n}`, `vault, ${label}`, 32, mid(retrieve[n]), `median of ${ROUNDS}`)
  }
  const each = tokenize[2].map((two, i) => (two.rps / (tokenize[1][i] as LoadResult).rps).toFixed(2))
  const [one, two] = [mid(tokenize[1]), mid(tokenize[2])]
  ratios.push(
    `| tokenize, ${label}, --workers 2 / 1 | ${median(each.map(Number)).toFixed(2)}x (rounds ${each.join(', ')}; ${two.rps} vs ${one.rps}) | ${(two.p99 / one.p99).toFixed(2)}x (${two.p99} vs ${one.p99} ms) | ${(cpu(tokenize[2]) / cpu(tokenize[1])).toFixed(2)}x (${cpu(tokenize[2])} vs ${cpu(tokenize[1])} µs) |`,
  )
}

async function postgres(): Promise<void> {
  const server = await startPostgres()
  try {
    const client = new pg.Client({ connectionString: server.adminUrl })
    await client.connect()
    await client.query('create database tessera_bench')
    await client.end()
    const url = server.adminUrl.replace(/\/postgres$/, '/tessera_bench')
    const setup = await prepare(url)
    await workers(setup, 'PostgreSQL', { DATABASE_URL: url })
    fs.rmSync(setup.dataDir, { recursive: true, force: true })
  } finally {
    await server.stop()
  }
}

const storedLabel = (count: number) => (count >= 1_000_000 ? `${count / 1_000_000}M` : `${count / 1000}k`)

/**
 * 10k stored tokens against `count`, both vaults up at once: tokenize and search by card on
 * each, then retrieve in alternating rounds, reading seeded tokens spread over the whole table
 * (not the few just made, whose pages are in memory anyway); the ratio is the median of the
 * rounds' own ratios.
 */
async function stored(count: number): Promise<void> {
  const sides = [await prepare(undefined, 10_000), await prepare(undefined, count)] as const
  const servers = [await startVaultProcess(sides[0].dataDir), await startVaultProcess(sides[1].dataDir)] as const
  for (const i of [0, 1] as const) {
    const label = storedLabel(i === 0 ? 10_000 : count)
    await warm(servers[i], sides[i])
    row(`tokenize at ${label} stored`, 'vault', 32, (await tokenizeRun(servers[i], sides[i], 32, COUNTS.tokenize)).result)
    row(`search by card at ${label} stored`, 'vault', 32, await searchRun(servers[i], sides[i], 32))
  }
  const rounds: [LoadResult, LoadResult][] = []
  for (let r = 0; r < ROUNDS; r++) {
    const round: LoadResult[] = []
    for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) round[i] = await retrieveRun(servers[i as 0 | 1], sides[i as 0 | 1], sides[i as 0 | 1].seeded, 32, COUNTS.retrieve / ROUNDS)
    rounds.push(round as [LoadResult, LoadResult])
  }
  const mid = (i: 0 | 1) => ({ rps: Math.round(median(rounds.map((r) => r[i].rps))), p50: median(rounds.map((r) => r[i].p50)), p99: median(rounds.map((r) => r[i].p99)) })
  const cpu = (i: 0 | 1) => median(rounds.map((r) => r[i].serverCpuUs ?? Number.NaN))
  for (const i of [0, 1] as const) row(`retrieve at ${storedLabel(i === 0 ? 10_000 : count)} stored (seeded tokens)`, 'vault', 32, mid(i), `median of ${ROUNDS}; CPU ${cpu(i)} µs/answer`)
  const each = rounds.map((r) => (r[1].rps / r[0].rps).toFixed(2))
  ratios.push(`| retrieve, ${storedLabel(count)} / 10k stored | ${median(each.map(Number)).toFixed(2)}x (rounds ${each.join(', ')}; ${mid(1).rps} vs ${mid(0).rps}) | ${(mid(1).p99 / mid(0).p99).toFixed(2)}x (${mid(1).p99} vs ${mid(0).p99} ms) | ${(cpu(1) / cpu(0)).toFixed(2)}x (${cpu(1)} vs ${cpu(0)} µs) |`)
  await Promise.all(servers.map((s) => s.stop()))
  for (const side of sides) fs.rmSync(side.dataDir, { recursive: true, force: true })
}

async function main() {
  const began = performance.now()
  process.stderr.write(`Tessera benchmark on ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}${quick ? ' (quick)' : ''}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`)
  if (phase('ceiling')) await ceiling()
  if (phase('tokenize') || phase('retrieve') || phase('workers')) {
    const setup = await sideBySide()
    if (phase('workers')) await workers(setup, 'SQLite')
    fs.rmSync(setup.dataDir, { recursive: true, force: true })
  }
  if (POSTGRES && phase('postgres')) await postgres()
  if (COUNTS.stored > 0 && phase('stored')) await stored(COUNTS.stored)
  const minutes = ((performance.now() - began) / 60_000).toFixed(1)
  process.stdout.write(`\n| benchmark | server | connections | req/s | p50 ms | p99 ms | note |\n| --- | --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`)
  process.stdout.write(`\n| ratio | req/s | p99 | server CPU per answer |\n| --- | --- | --- | --- |\n${ratios.join('\n')}\n`)
  process.stdout.write(`\n${minutes} min; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine makes these figures noisy)\n`)
}

await main()
