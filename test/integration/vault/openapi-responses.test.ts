// The OpenAPI document tells the truth about answers: real responses of a real vault parse
// against the same schemas the document is built from (backend/http/openapi/objects.ts).
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditEvent, BrowserToken, CustomerSession, DeletedToken, ErrorObject, EventObject, JsonWebKeySet, list, Liveness, Readiness, SavedCard, TokenObject } from '../../../backend/http/openapi/objects.js'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject()))
afterAll(() => vault.close())

/** Parses, and refuses top-level fields the schema does not name: an undocumented field is drift too. */
function expectShape(schema: v.GenericSchema, body: unknown): void {
  const result = v.safeParse(schema, body)
  expect(result.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`) ?? []).toEqual([])
  const entries = (schema as { entries?: Record<string, unknown> }).entries
  if (entries) expect(Object.keys(body as object).filter((key) => !(key in entries))).toEqual([])
}

describe('answers match the documented schemas', () => {
  it('for tokens, with a secret key and with a publishable key', async () => {
    const sk = keys.test.secret_key
    const created = await call('POST', '/v1/tokens', { key: sk, body: { card: await encryptCard(vault.url), customer_id: 'c_doc' } })
    expect(created.status).toBe(201)
    expectShape(TokenObject, created.body)
    expectShape(TokenObject, (await call('GET', `/v1/tokens/${created.body.token}`, { key: sk })).body)
    expectShape(list(TokenObject), (await call('POST', '/v1/tokens/search', { key: sk, body: { customer_id: 'c_doc' } })).body)
    expectShape(list(TokenObject), (await call('GET', '/v1/customers/c_doc/tokens', { key: sk })).body)
    const browser = await call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: await encryptCard(vault.url) } })
    expect(browser.status).toBe(201)
    expectShape(BrowserToken, browser.body)
    expectShape(DeletedToken, (await call('DELETE', `/v1/tokens/${created.body.token}`, { key: sk })).body)
  })

  it('for customer sessions, saved cards, events, audit events, key sets and health', async () => {
    const session = await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: 'c_doc' } })
    expectShape(CustomerSession, session.body)
    const saved = await call('GET', '/v1/customer-sessions/tokens', { key: keys.test.publishable_key, headers: { 'tessera-customer-session': session.body.client_secret } })
    expectShape(list(SavedCard), saved.body)
    const events = await call('GET', '/v1/events', { key: keys.test.secret_key })
    expect(events.body.data.length).toBeGreaterThan(0)
    expectShape(list(EventObject), events.body)
    expectShape(JsonWebKeySet, (await call('GET', '/v1/jwks')).body)
    expectShape(JsonWebKeySet, (await call('GET', '/v1/webhook-keys')).body)
    const audit = await call('GET', '/v1/audit-events', { key: keys.test.secret_key })
    expect(audit.body.data.length).toBeGreaterThan(0)
    expectShape(list(AuditEvent), audit.body)
    expectShape(Liveness, (await call('GET', '/health/live')).body)
    expectShape(Readiness, (await call('GET', '/health/ready')).body)
  })

  it('for errors, whose codes are in the closed set', async () => {
    for (const res of [
      await call('GET', '/v1/tokens/nope', { key: keys.test.secret_key }),
      await call('GET', '/v1/tokens/nope'),
      await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: 'x', colour: 'red' } }),
      await call('PUT', '/v1/tokens'),
      await call('GET', '/nowhere'),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400)
      expectShape(ErrorObject, res.body)
    }
  })
})
