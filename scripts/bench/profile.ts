// `tsx scripts/bench/profile.ts [count] [out.cpuprofile]`: tokenize through the HTTP app in-process
// (app.request, no sockets, no load generator), 32 in flight, with the CPU profiler on for the
// load only, so the profile shows where tokenize's time goes; with TESSERA_PROFILE_SQL=1 it also
// counts the statements per tokenize. `tsx scripts/bench/profile-summary.ts <file>` sums it.
import crypto from 'node:crypto'
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import BetterSqlite3 from 'better-sqlite3'
import os from 'node:os'
import path from 'node:path'
import { CompactEncrypt, importJWK, type JWK } from 'jose'
import { DOCUMENTED_TEST_CARDS } from '../../common/test-cards.js'
import { loadConfig } from '../../backend/config.js'
import { createLogger } from '../../backend/logger.js'
import { createVault } from '../../backend/vault.js'

const count = Number(process.argv[2] ?? 3000)
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-profile-'))
const logFile = path.join(dataDir, 'vault.log')
const vault = await createVault(loadConfig({ TESSERA_RATE_LIMITS: JSON.stringify({ tokenize: { perKey: null, perAddress: null }, customerSessionList: { perKey: null, perAddress: null } }) }, { dataDir }), {
  logger: createLogger({ level: 'info', destination: (await import('pino')).pino.destination(logFile) }),
})
const { keys } = await vault.projects.create({ name: 'Profile', allowedOrigins: ['https://shop.example'] })
const jwk = (await vault.keyRing.jwks()).keys[0] as JWK & { kid: string }
const key = await importJWK(jwk, 'ECDH-ES')
const now = Math.floor(Date.now() / 1000)
const bodies: string[] = []
for (let i = 0; i < count; i++) {
  const number = DOCUMENTED_TEST_CARDS[i % 8] as string
  const payload = { number, exp_month: 1 + (i % 12), exp_year: 2030, cvc: number.length === 15 ? '1234' : '123', iat: now, jti: crypto.randomUUID() }
  bodies.push(JSON.stringify({ card: await new CompactEncrypt(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: jwk.kid }).encrypt(key) }))
}
const statements = new Map<string, number>()
if (process.env.TESSERA_PROFILE_SQL === '1') {
  const probe = new BetterSqlite3(':memory:').prepare('select 1')
  const proto = Object.getPrototypeOf(probe) as Record<string, (...args: unknown[]) => unknown>
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = proto[method] as (...args: unknown[]) => unknown
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      statements.set(this.source, (statements.get(this.source) ?? 0) + 1)
      return original.apply(this, args)
    }
  }
}
const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.start')
// TESSERA_PROFILE=retrieve profiles GET /v1/tokens/:token instead (tokens made first, unprofiled).
const retrieve = process.env.TESSERA_PROFILE === 'retrieve'
const auth = { authorization: `Bearer ${keys.test.secret_key}` }
const tokenize = async (body: string) => {
  const res = await vault.app.request('/v1/tokens', { method: 'POST', body, headers: { ...auth, 'content-type': 'application/json' } })
  if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}
const tokens = retrieve ? await Promise.all(bodies.slice(0, 200).map(tokenize)) : []
const run = async (i: number) => {
  if (!retrieve) return void (await tokenize(bodies[i] as string))
  const res = await vault.app.request(`/v1/tokens/${tokens[i % tokens.length]}`, { headers: auth })
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`)
  await res.arrayBuffer()
}
const total = retrieve ? count * 10 : count
let next = 0
const started = performance.now()
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (next < total) await run(next++)
  }),
)
const seconds = (performance.now() - started) / 1000
const { profile } = await session.post('Profiler.stop')
fs.writeFileSync(process.argv[3] ?? 'tokenize.cpuprofile', JSON.stringify(profile))
process.stderr.write(`${total} ${retrieve ? 'retrievals' : 'tokenizations'} through the app in-process: ${Math.round(total / seconds)}/s\n`)
for (const [sql, n] of [...statements].sort((a, b) => b[1] - a[1])) process.stderr.write(`${(n / total).toFixed(2)} per request: ${sql.slice(0, 140)}\n`)
await vault.close()
fs.rmSync(dataDir, { recursive: true, force: true })
