// Issue 12, generated: random publishable-key requests (random bodies, with and without
// customer sessions of other customers, repeats of stored cards with other expiries and names)
// never change a token the merchant stored and never reveal what is stored (customer, holder
// name, fingerprint, dates, verification). Answers are either the documented error shape or the
// browser's answer: token, status and the card exactly as sent.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api, ApiResponse } from '../helpers/api.js'
import { encryptCard } from '../helpers/cards.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../helpers/vault.js'

let vault: TestVault
let call: Api

const RUNS = Number(process.env.TESSERA_FUZZ_RUNS ?? 150)
const year = new Date().getUTCFullYear() + 2

interface StoredCard {
  number: string
  exp_month: number
  exp_year: number
}

interface Target {
  name: string
  keys: TestProjectKeys
  stored: StoredCard[]
  /** Sessions a browser could hold here: other customers', a token value's, another project's, garbage. */
  sessions: string[]
}

const targets: Target[] = []
/** What the merchant stored, as the database holds it: these rows must never change. */
let baseline: Record<string, unknown>[] = []
/** Stored strings no publishable-key answer may contain. */
const storedSecrets: string[] = []

const cvcOf = (number: string) => (number.startsWith('37') ? '1234' : '123')

async function storedRows(): Promise<Record<string, unknown>[]> {
  const keys = baseline.map((r) => `${r.project_id}|${r.mode}|${r.token}`)
  const rows = await vault.running.vault.store.db.selectFrom('tokens').selectAll().orderBy('project_id').orderBy('mode').orderBy('token').execute()
  return rows.filter((r) => keys.includes(`${r.project_id}|${r.mode}|${r.token}`))
}

async function sessionFor(keys: TestProjectKeys, body: Record<string, string>): Promise<string> {
  const res = await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body })
  expect(res.status).toBe(201)
  return res.body.client_secret
}

beforeAll(async () => {
  let first: TestProjectKeys
  ;({ vault, call, keys: first } = await startVaultWithProject({}, { tokenManagement: 'unique-account', verification: 'none' }))
  const deterministic = await vault.createProject({ tokenFormat: 'deterministic', verification: 'none' })
  const merchant = await vault.createProject({ tokenFormat: 'merchant', tokenManagement: 'unique-account', verification: 'none' })
  const plan = [
    { name: 'unique-account', keys: first, cards: [{ number: '4242424242424242', exp_month: 3, exp_year: year }, { number: '5555555555554444', exp_month: 8, exp_year: year + 1 }] },
    { name: 'deterministic', keys: deterministic, cards: [{ number: '4111111111111111', exp_month: 7, exp_year: year }] },
    { name: 'merchant', keys: merchant, cards: [{ number: '6011111111111117', exp_month: 11, exp_year: year }] },
  ]
  let n = 0
  for (const p of plan) {
    for (const card of p.cards) {
      n++
      const body: Record<string, string> = { card: await encryptCard(vault.url, { ...card, cvc: cvcOf(card.number), name: `STORED HOLDER ${n}` }), customer_id: `cus_owner_${n}` }
      if (p.name === 'merchant') body.token = `stored-merchant-${n}`
      const res = await call('POST', '/v1/tokens', { key: p.keys.test.secret_key, body })
      expect(res.status).toBe(201)
      storedSecrets.push(`cus_owner_${n}`, `STORED HOLDER ${n}`, res.body.fingerprint, res.body.created_at, res.body.retain_until)
    }
    const sessions = [
      await sessionFor(p.keys, p.name === 'merchant' ? { customer_id: 'cus_other', token: 'browser-value' } : { customer_id: 'cus_other' }),
      `cs_test_${'B'.repeat(43)}`,
    ]
    if (p.name === 'merchant') sessions.push(await sessionFor(p.keys, { token: 'stored-merchant-4' }))
    targets.push({ name: p.name, keys: p.keys, stored: p.cards, sessions })
  }
  // A session of the first project, carried to the others.
  const foreign = await sessionFor(first, { customer_id: 'cus_foreign' })
  for (const t of targets.slice(1)) t.sessions.push(foreign)
  baseline = await vault.running.vault.store.db.selectFrom('tokens').selectAll().orderBy('project_id').orderBy('mode').orderBy('token').execute()
}, 60_000)
afterAll(() => vault.close())

const otherCards = ['4314220000000056', '2223003122003222', '378282246310005', '3566002020360505']

/** Absent most of the time (each such field alone makes the request a refusal). */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 })
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), arb)

/** A publishable-key request: a target, a card (often a stored one), fields the browser may not send, a session. */
const browserRequest = fc
  .record({
    target: fc.nat(),
    stored: fc.boolean(),
    which: fc.nat(),
    sameExpiry: fc.boolean(),
    exp_month: fc.integer({ min: 1, max: 12 }),
    exp_year: fc.oneof(fc.integer({ min: 2000, max: 2099 }), fc.constantFrom(9999, 2020)),
    name: sometimes(fc.oneof(fc.constantFrom('MALLORY', 'STORED HOLDER 1', ''), fc.string({ maxLength: 64 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)))),
    session: sometimes(fc.nat()),
    customer_id: rarely(fc.constantFrom('cus_owner_1', 'cus_owner_3', 'cus_attacker')),
    token: rarely(fc.constantFrom('stored-merchant-4', 'browser-value', 'free-value')),
    verification: rarely(fc.constantFrom('none', 'basic')),
    idempotencyKey: rarely(fc.constantFrom('order-1', 'order-2')),
  })
  .map((r) => {
    const target = targets[r.target % targets.length] as Target
    const stored = target.stored[r.which % target.stored.length] as StoredCard
    const number = r.stored ? stored.number : (otherCards[r.which % otherCards.length] as string)
    const expiry = r.stored && r.sameExpiry ? { exp_month: stored.exp_month, exp_year: stored.exp_year } : { exp_month: r.exp_month, exp_year: r.exp_year }
    const session = r.session === undefined ? undefined : target.sessions[r.session % target.sessions.length]
    return { ...r, target, number, expiry, session }
  })

function expectBrowserAnswerOrError(res: ApiResponse, sent: { number: string; exp_month: number; exp_year: number }, label: string): void {
  const text = JSON.stringify(res.body)
  for (const secret of storedSecrets) expect(text.includes(secret), `${label}: answer holds stored ${secret}`).toBe(false)
  if (res.status >= 400) {
    expect([400, 401, 403, 409, 422].includes(res.status), `${label}: ${res.status} ${text}`).toBe(true)
    expect(Object.keys(res.body)).toEqual(['error'])
    return
  }
  expect([200, 201].includes(res.status), label).toBe(true)
  expect(Object.keys(res.body).sort(), label).toEqual(['card', 'object', 'status', 'token'])
  expect(res.body.card, label).toEqual({ brand: res.body.card.brand, bin: sent.number.slice(0, 6), last4: sent.number.slice(-4), exp_month: sent.exp_month, exp_year: sent.exp_year })
}

describe('publishable-key requests, generated', () => {
  it('never change a stored token and never reveal stored fields', async () => {
    let answered = 0
    await fc.assert(
      fc.asyncProperty(browserRequest, async (r) => {
        const body: Record<string, unknown> = { card: await encryptCard(vault.url, { number: r.number, cvc: cvcOf(r.number), ...r.expiry, ...(r.name === undefined ? {} : { name: r.name }) }) }
        for (const field of ['customer_id', 'token', 'verification'] as const) if (r[field] !== undefined) body[field] = r[field]
        const headers: Record<string, string> = {}
        if (r.session !== undefined) headers['tessera-customer-session'] = r.session
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey
        const res = await call('POST', '/v1/tokens', { key: r.target.keys.test.publishable_key, body, headers })
        const label = `${r.target.name} ${r.number.slice(-4)} ${JSON.stringify(r.expiry)} → ${res.status} ${res.body?.error?.code ?? ''}`
        // A replayed idempotent answer was the browser's own earlier answer, for another card maybe.
        if (res.headers.get('idempotent-replayed') !== 'true') expectBrowserAnswerOrError(res, { number: r.number, ...r.expiry }, label)
        if (res.status < 300) answered++
        expect(await storedRows(), label).toEqual(baseline)
      }),
      { numRuns: RUNS },
    )
    // The property saw both kinds of answer, not only refusals.
    expect(answered).toBeGreaterThan(0)
  }, 120_000)
})
