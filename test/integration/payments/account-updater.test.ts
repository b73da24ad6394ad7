// The account updater job against the sandbox process: a new expiry updates the token, a new
// number is sealed behind the same token, a closed account invalidates it; in every project
// holding the card, once, with events, and the cursor kept between runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ACQUIRER_KEY } from '../../../backend/acquirer/http-client.js'
import { ACCOUNT_UPDATER_DEFAULTS } from '../../../backend/jobs/account-updater.js'
import type { TestProjectKeys } from '../../helpers/vault.js'
import { eventsOf, startWorld, year, type World } from './support/world.js'

const NEW_EXPIRY = '4000000000005100'
const NEW_NUMBER = '4000000000005209'
const REPLACEMENT = '4000000000005308'
const CLOSED = '4000000000005407'

let w: World
let other: TestProjectKeys
let optedOut: TestProjectKeys
const tokens: Record<string, any> = {}
let report: Record<string, number>

const get = async (token: string, key = w.sk()) => (await w.call('GET', `/v1/tokens/${token}`, { key })).body
const runJob = () => w.vault.running.vault.jobs.runOnce('account-updater')
const cursor = async () =>
  (await w.vault.running.vault.store.db.selectFrom('job_state').select('value').where('name', '=', ACCOUNT_UPDATER_DEFAULTS.cursorName).executeTakeFirst())?.value

beforeAll(async () => {
  w = await startWorld({ project: { accountUpdater: 'on' } })
  other = await w.vault.createProject({ tokenManagement: 'unique-account', accountUpdater: 'on' })
  // Seed 004: the updater is opted into per merchant; this project did not.
  optedOut = await w.vault.createProject()
  tokens.optedOut = await w.tokenize(NEW_EXPIRY, { key: optedOut.test.secret_key })
  tokens.expiry = await w.tokenize(NEW_EXPIRY, { verification: 'acquirer' })
  tokens.revokedExpiry = await w.tokenize(NEW_EXPIRY)
  await w.call('POST', `/v1/tokens/${tokens.revokedExpiry.token}/revoke`, { key: w.sk() })
  tokens.number = await w.tokenize(NEW_NUMBER)
  tokens.numberOther = await w.tokenize(NEW_NUMBER, { key: other.test.secret_key })
  tokens.closed = await w.tokenize(CLOSED)
  // The sandbox reports only on cards it has seen: use them.
  expect((await w.pay({ token: tokens.number.token, amount: 100, currency: 'EUR' })).status).toBe(201)
  expect((await w.call('POST', `/v1/tokens/${tokens.closed.token}/verify`, { key: w.sk() })).status).toBe(200)
  expect(await cursor()).toBeUndefined()
  report = await runJob()
})
afterAll(() => w?.close())

describe('the account updater job', () => {
  it('is scheduled with the vault’s jobs and reports what it applied', () => {
    expect(w.vault.running.vault.jobs.names).toContain('account-updater')
    // One token for the new expiry, two (two projects) for the new number, one closed.
    expect(report).toEqual({ updates: 3, new_expiry: 1, new_number: 2, closed: 1 })
  })

  it('gives a new expiry to the token, with its expiry and retention moved and token.updated', async () => {
    const token = await get(tokens.expiry.token)
    expect(token).toMatchObject({ status: 'active', card: { last4: '5100', exp_month: 6, exp_year: year + 3 }, fingerprint: tokens.expiry.fingerprint })
    expect(token.expires_at).toBe(new Date(Date.UTC(year + 3, 6, 1)).toISOString())
    expect(token.retain_until > tokens.expiry.retain_until).toBe(true)
    expect(token.updated_at > tokens.expiry.updated_at).toBe(true)
    expect((await eventsOf(w, 'token.updated')).find((e) => e.data.object.token === token.token)?.data.object).toEqual(token)
  })

  it('records account_updater as who updated the token last, in the token and its event', async () => {
    const token = await get(tokens.expiry.token)
    expect(token.last_updated_by).toBe('account_updater')
    expect((await eventsOf(w, 'token.updated')).find((e) => e.data.object.token === token.token)?.data.object.last_updated_by).toBe('account_updater')
  })

  it('leaves alone the tokens of a project with account_updater off (the default)', async () => {
    expect(await get(tokens.optedOut.token, optedOut.test.secret_key)).toEqual(tokens.optedOut)
    expect(tokens.optedOut.last_updated_by).toBeNull()
  })

  it('leaves a revoked token of the same card as the merchant left it', async () => {
    const token = await get(tokens.revokedExpiry.token)
    expect(token).toMatchObject({ status: 'revoked', card: { exp_year: year } })
  })

  it('seals the new number behind the same token, with its fingerprint, in every project holding the card', async () => {
    const replacement = await w.tokenize(REPLACEMENT)
    const token = await get(tokens.number.token)
    expect(token).toMatchObject({ token: tokens.number.token, status: 'active', card: { brand: 'visa', bin: '400000', last4: '5308', exp_month: 6, exp_year: year + 3 } })
    expect(token.fingerprint).toBe(replacement.fingerprint)
    const inOther = await get(tokens.numberOther.token, other.test.secret_key)
    expect(inOther.card.last4).toBe('5308')
    expect(inOther.fingerprint).not.toBe(token.fingerprint)
    // Under unique-account the token now holds the new number's account: a repeat returns it.
    const repeat = await w.call('POST', '/v1/tokens', { key: other.test.secret_key, body: { card: await w.card(REPLACEMENT, { exp_year: year + 3 }) } })
    expect(repeat.status).toBe(200)
    expect(repeat.body.token).toBe(tokens.numberOther.token)
  })

  it('sends the new number to the acquirer when the token pays', async () => {
    const paid = await w.pay({ token: tokens.number.token, amount: 4_200, currency: 'EUR' })
    expect(paid.status).toBe(201)
    const authorization = await fetch(`${w.acquirer.url}/v1/authorizations/${paid.body.acquirer_reference}`, { headers: { authorization: `Bearer ${DEFAULT_ACQUIRER_KEY}` } })
    expect(((await authorization.json()) as { card: unknown }).card).toEqual({ brand: 'visa', last4: '5308', exp_month: 6, exp_year: year + 3 })
  })

  it('invalidates the token of a closed account, with token.invalidated, and it can no longer pay', async () => {
    const token = await get(tokens.closed.token)
    expect(token.status).toBe('invalid')
    expect((await eventsOf(w, 'token.invalidated')).find((e) => e.data.object.token === token.token)?.data.object).toEqual(token)
    const pay = await w.pay({ token: token.token, amount: 100, currency: 'EUR' })
    expect(pay.status).toBe(422)
    expect(pay.body.error.code).toBe('token_not_active')
  })

  it('keeps its cursor and applies nothing twice', async () => {
    const first = await cursor()
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT/)
    const events = (await eventsOf(w, 'token.*')).length
    const again = await runJob()
    expect({ ...again, updates: 0 }).toEqual({ updates: 0, new_expiry: 0, new_number: 0, closed: 0 })
    expect((await eventsOf(w, 'token.*')).length).toBe(events)
    expect((await cursor())! >= first!).toBe(true)
  })

  it('fails without moving the cursor when the acquirer is gone', async () => {
    const before = await cursor()
    const exited = new Promise((resolve) => w.acquirer.child.once('exit', resolve))
    w.acquirer.child.kill('SIGKILL')
    await exited
    await expect(runJob()).rejects.toMatchObject({ code: 'acquirer_unavailable' })
    expect(await cursor()).toBe(before)
  })
})
