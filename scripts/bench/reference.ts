// The yardstick: a bare tokenizer on the vault's own stack (Hono on @hono/node-server, jose,
// better-sqlite3, pino to a file) doing the same work per request as the vault's tokenize, and
// nothing more. It writes into a database file the vault's migrations made (same tables and
// indexes). Run by the bench as its own process: `tsx reference.ts` with REFERENCE_CONFIG.
import crypto from 'node:crypto'
import { serve } from '@hono/node-server'
import BetterSqlite3 from 'better-sqlite3'
import { Hono, type Context } from 'hono'
import { compactDecrypt, importJWK, type JWK } from 'jose'
import { pino } from 'pino'

interface ReferenceConfig { port: number; dbFile: string; logFile: string; keyHash: string; projectId: string; jwk: JWK & { kid: string }; fingerprintKey: string; dataKey: string }
const cfg = JSON.parse(process.env.REFERENCE_CONFIG ?? '{}') as ReferenceConfig
const log = pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: cfg.logFile, sync: false }))
const db = new BetterSqlite3(cfg.dbFile)
for (const p of ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000', 'foreign_keys = ON', 'cache_size = -65536']) db.pragma(p)
const privateKey = await importJWK(cfg.jwk, 'ECDH-ES')
const [fingerprintKey, dataKey] = [Buffer.from(cfg.fingerprintKey, 'base64url'), Buffer.from(cfg.dataKey, 'base64url')]

const insertJti = db.prepare('insert into seen_jtis (jti, expires_at) values (?, ?) on conflict do nothing')
const insertToken = db.prepare(`insert into tokens (project_id, mode, token, status, customer_id, brand, bin, last4, exp_month, exp_year, holder_name, fingerprint, account_key, data_key_id, card_ciphertext,
  verification_strategy, verification_result, created_at, updated_at, last_used_at, expires_at, retention_extension_months, retain_until, deleted_at)
  values (@project_id, @mode, @token, @status, @customer_id, @brand, @bin, @last4, @exp_month, @exp_year, @holder_name, @fingerprint, null, 'dk_ref', @card_ciphertext,
  'basic', 'passed', @created_at, @created_at, null, @expires_at, 0, @retain_until, null)`)
const insertAudit = db.prepare('insert into audit_log (id, project_id, mode, token, action, actor, request_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)')
const insertEvent = db.prepare(`insert into events (id, project_id, mode, type, payload, created_at, delivery_status, attempts, next_attempt_at, deliver_until) values (?, ?, ?, 'token.created', ?, ?, 'skipped', 0, null, ?)`)
const selectToken = db.prepare('select * from tokens where project_id = ? and mode = ? and token = ?')
type Row = Record<string, string | number | null>
const store = db.transaction((jti: string, jtiUntil: string, row: Row, event: string, requestId: string) => {
  if (insertJti.run(jti, jtiUntil).changes === 0) return false
  insertToken.run(row)
  insertAudit.run('aud_' + crypto.randomBytes(12).toString('hex'), cfg.projectId, 'test', row.token, 'token.created', 'key', requestId, row.created_at)
  insertEvent.run('evt_' + crypto.randomBytes(12).toString('hex'), cfg.projectId, 'test', event, row.created_at, row.created_at)
  return true
})

const fail = (c: Context, status: 400 | 401 | 404, code: string) => c.json({ error: { type: 'invalid_request_error', code, message: code } }, status)
const authorized = (c: Context) => crypto.createHash('sha256').update(/^Bearer (\S{1,200})$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '').digest('hex') === cfg.keyHash
const luhn = (n: string) => [...n].reverse().reduce((sum, ch, i) => sum + (i % 2 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][+ch]! : +ch), 0) % 10 === 0
const int = (x: unknown, min: number, max: number): x is number => Number.isInteger(x) && (x as number) >= min && (x as number) <= max
const KEYS = new Set(['number', 'exp_month', 'exp_year', 'cvc', 'name', 'iat', 'jti'])
const present = (r: Row) => ({
  object: 'token', token: r.token, status: r.status, mode: r.mode, customer_id: r.customer_id,
  card: { brand: r.brand, bin: r.bin, last4: r.last4, exp_month: r.exp_month, exp_year: r.exp_year, name: r.holder_name },
  fingerprint: r.fingerprint, verification: { strategy: 'basic', result: 'passed' }, created_at: r.created_at, updated_at: r.created_at, last_used_at: null, expires_at: r.expires_at, retain_until: r.retain_until,
})

const app = new Hono()
app.use(async (c, next) => {
  const started = performance.now()
  await next()
  log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10 }, 'request')
})
app.post('/v1/tokens', async (c) => {
  if (!authorized(c)) return fail(c, 401, 'invalid_api_key')
  const body = (await c.req.json().catch(() => null)) as { card?: unknown } | null
  if (typeof body?.card !== 'string') return fail(c, 400, 'parameter_invalid')
  let p: Record<string, unknown>
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(body.card, privateKey, { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A256GCM'] })
    if (protectedHeader.kid !== cfg.jwk.kid) throw new Error('kid')
    p = JSON.parse(Buffer.from(plaintext).toString('utf8')) as Record<string, unknown>
  } catch {
    return fail(c, 400, 'invalid_card_encryption')
  }
  const number = typeof p.number === 'string' && /^\d{12,19}$/.test(p.number) ? p.number : ''
  const shaped = Object.keys(p).every((k) => KEYS.has(k)) && int(p.exp_month, 1, 12) && int(p.exp_year, 1000, 9999) && int(p.iat, 0, 1e12) && typeof p.jti === 'string' && p.jti.length > 0 && p.jti.length <= 64
  if (!number || !shaped || (p.cvc !== undefined && !/^\d{3,4}$/.test(String(p.cvc))) || (p.name !== undefined && typeof p.name !== 'string')) return fail(c, 400, 'invalid_card_payload')
  const now = Date.now()
  if ((p.iat as number) < now / 1000 - 300 || (p.iat as number) > now / 1000 + 60) return fail(c, 400, 'expired_card_encryption')
  if (!luhn(number)) return fail(c, 400, 'card_number_invalid')
  const token = crypto.randomBytes(32).toString('hex')
  const iv = crypto.randomBytes(12)
  const cipher = crypto.createCipheriv('aes-256-gcm', dataKey, iv).setAAD(Buffer.from(`tessera:card:v1|${cfg.projectId}|test|${token}`))
  const sealed = Buffer.concat([iv, cipher.update(number, 'ascii'), cipher.final(), cipher.getAuthTag()]).toString('base64url')
  const at = new Date(now).toISOString()
  const expires = new Date(Date.UTC(p.exp_year as number, p.exp_month as number, 1)).toISOString()
  const row: Row = {
    project_id: cfg.projectId, mode: 'test', token, status: 'active', customer_id: null, brand: number.startsWith('4') ? 'visa' : 'other', bin: number.slice(0, 6), last4: number.slice(-4),
    exp_month: p.exp_month as number, exp_year: p.exp_year as number, holder_name: (p.name as string | undefined) ?? null, card_ciphertext: 'c1.' + sealed,
    fingerprint: crypto.createHmac('sha256', fingerprintKey).update('fingerprint|').update(number).digest('base64url'), created_at: at, expires_at: expires, retain_until: expires,
  }
  const answer = present(row)
  const event = JSON.stringify({ object: 'event', id: 'evt', type: 'token.created', created_at: at, data: { object: answer }, mode: 'test' })
  if (!store(p.jti as string, new Date(now + 360_000).toISOString(), row, event, crypto.randomUUID())) return fail(c, 400, 'replayed_card_encryption')
  return c.json(answer, 201)
})
app.get('/v1/tokens/:token', (c) => {
  if (!authorized(c)) return fail(c, 401, 'invalid_api_key')
  const row = selectToken.get(cfg.projectId, 'test', c.req.param('token')) as Row | undefined
  return row ? c.json(present(row)) : fail(c, 404, 'token_not_found')
})
app.get('/v1/jwks', (c) => c.json({ keys: [] }))
serve({ fetch: app.fetch, port: cfg.port, hostname: '127.0.0.1' })
process.on('SIGTERM', () => process.exit(0))
