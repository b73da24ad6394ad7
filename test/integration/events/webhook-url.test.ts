// The webhook-URL rule: loopback, private, link-local, metadata and other internal addresses
// are refused when a URL is set and again at each delivery (names resolved, every address
// checked, the connection made to the checked address), unless TESSERA_ALLOW_PRIVATE_WEBHOOKS=1;
// live-mode events go only to https:// URLs. Names resolve through an injected resolver, and
// every connection any of these tests could make is to the loopback receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ResolvedAddress } from '../../../backend/events/webhook-url.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard, liveCardNumber } from '../../helpers/cards.js'
import { startVault, type TestVault } from '../../helpers/vault.js'
import { startReceiver, type Receiver } from './support/receiver.js'

/** What the injected resolver answers; a test changes an entry to play DNS rebinding. */
const dnsAnswers = new Map<string, string[]>()
const resolve = async (host: string): Promise<ResolvedAddress[]> => (dnsAnswers.get(host) ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))

let receiver: Receiver
let strict: TestVault
let relaxed: TestVault
let callStrict: Api
let callRelaxed: Api

beforeAll(async () => {
  receiver = await startReceiver()
  strict = await startVault({ env: { TESSERA_ALLOW_PRIVATE_WEBHOOKS: '0' }, resolve, background: false })
  relaxed = await startVault({ env: { TESSERA_ALLOW_PRIVATE_WEBHOOKS: '1' }, resolve, background: false })
  callStrict = api(strict.url)
  callRelaxed = api(relaxed.url)
})
afterAll(async () => {
  await Promise.all([strict.close(), relaxed.close()])
  await receiver.close()
})

const port = () => new URL(receiver.url).port

async function tokenize(vault: TestVault, call: Api, key: string, number?: string) {
  const res = await call('POST', '/v1/tokens', { key, body: { card: await encryptCard(vault.url, number ? { number } : {}) } })
  expect(res.status).toBe(201)
}

async function lastEvent(call: Api, key: string) {
  return (await call('GET', '/v1/events?limit=1', { key })).body.data[0]
}

describe('setting a webhook URL (project creation)', () => {
  const refused = [
    'http://127.0.0.1:9/hooks',
    'http://127.1.2.3/hooks',
    'http://2130706433/hooks',
    'http://[::1]/hooks',
    'http://10.1.2.3/hooks',
    'http://172.16.0.1/hooks',
    'http://172.31.255.254/hooks',
    'http://192.168.1.1/hooks',
    'http://169.254.169.254/latest/meta-data/',
    'http://169.254.1.1/hooks',
    'http://[fc00::1]/hooks',
    'http://[fd00:ec2::254]/hooks',
    'http://[fe80::1]/hooks',
    'http://0.0.0.0/hooks',
    'http://[::]/hooks',
    'http://[::ffff:127.0.0.1]/hooks',
    'http://[::ffff:169.254.169.254]/hooks',
    'http://[::ffff:10.0.0.1]/hooks',
    'http://100.64.0.1/hooks',
    'http://100.127.255.254/hooks',
    'https://localhost/hooks',
    // Loopback by definition (RFC 6761), whatever DNS answers: refused without a lookup.
    'https://hooks.localhost/hooks',
    'https://localhost./hooks',
    'https://metadata.attacker.test/hooks',
    'https://mixed.attacker.test/hooks',
    'ftp://hooks.example.test/x',
    'not a url',
  ]

  beforeAll(() => {
    dnsAnswers.set('localhost', ['127.0.0.1', '::1'])
    dnsAnswers.set('metadata.attacker.test', ['169.254.169.254'])
    // Every address counts: one public address does not excuse a private one.
    dnsAnswers.set('mixed.attacker.test', ['203.0.113.10', '10.0.0.7'])
    dnsAnswers.set('hooks.public.test', ['203.0.113.10', '2001:db8::10'])
  })

  it.each(refused)('refuses %s without TESSERA_ALLOW_PRIVATE_WEBHOOKS', async (url) => {
    await expect(strict.createProject({ webhookUrl: url })).rejects.toMatchObject({ code: 'invalid_webhook_url', status: 400, param: 'webhook_url' })
  })

  it('names the reason', async () => {
    await expect(strict.createProject({ webhookUrl: 'http://169.254.169.254/latest' })).rejects.toThrow(/metadata/)
    await expect(strict.createProject({ webhookUrl: 'https://mixed.attacker.test/' })).rejects.toThrow(/mixed\.attacker\.test resolves to a private address \(10\.0\.0\.7\)/)
  })

  it('accepts public addresses, and private ones with the flag', async () => {
    await expect(strict.createProject({ webhookUrl: 'https://hooks.public.test/hooks' })).resolves.toHaveProperty('projectId')
    await expect(strict.createProject({ webhookUrl: 'https://203.0.113.10/hooks' })).resolves.toHaveProperty('projectId')
    // A name without DNS yet is accepted: every delivery resolves and checks it again.
    await expect(strict.createProject({ webhookUrl: 'https://not-yet.public.test/hooks' })).resolves.toHaveProperty('projectId')
    for (const url of refused.slice(0, 20)) await expect(relaxed.createProject({ webhookUrl: url })).resolves.toHaveProperty('projectId')
  })
})

describe('delivering', () => {
  it('refuses at delivery a name that has come to resolve to loopback or metadata (DNS rebinding), and sends nothing', async () => {
    for (const [host, later] of [
      ['rebind.attacker.test', '127.0.0.1'],
      ['rebind-meta.attacker.test', '169.254.169.254'],
      ['rebind-v6.attacker.test', '::ffff:127.0.0.1'],
    ] as const) {
      dnsAnswers.set(host, ['203.0.113.20'])
      const keys = await strict.createProject({ webhookUrl: `http://${host}:${port()}/hooks/tessera` })
      dnsAnswers.set(host, [later])
      const before = receiver.received.length
      await tokenize(strict, callStrict, keys.test.secret_key)
      const report = await strict.running.vault.dispatcher.runOnce()
      expect(report).toMatchObject({ claimed: 1, delivered: 0, retrying: 1 })
      const event = await lastEvent(callStrict, keys.test.secret_key)
      expect(event.delivery).toMatchObject({ status: 'pending', attempts: 1, last_response_status: null })
      expect(event.delivery.last_error).toMatch(new RegExp(`^refused: .*${host.replace(/\./g, '\\.')} resolves to .*${later.replace(/\./g, '\\.')}`))
      expect(receiver.received.length).toBe(before)
    }
  })

  it('refuses a URL that was stored before the rule (set in the table)', async () => {
    const keys = await strict.createProject({ webhookUrl: 'https://hooks.public.test/hooks' })
    await strict.running.vault.store.db.updateTable('projects').set({ webhook_url: receiver.url }).where('id', '=', keys.projectId).execute()
    const before = receiver.received.length
    await tokenize(strict, callStrict, keys.test.secret_key)
    expect(await strict.running.vault.dispatcher.runOnce()).toMatchObject({ claimed: 1, retrying: 1 })
    expect((await lastEvent(callStrict, keys.test.secret_key)).delivery.last_error).toMatch(/^refused: .*loopback address \(127\.0\.0\.1\)/)
    expect(receiver.received.length).toBe(before)
  })

  it('delivers to loopback with TESSERA_ALLOW_PRIVATE_WEBHOOKS=1, connecting to the address it resolved', async () => {
    // The name exists only in the injected resolver: the delivery reaches the receiver only
    // because it connects to the address the check saw.
    dnsAnswers.set('shop.internal.test', ['127.0.0.1'])
    for (const url of [receiver.url, `http://shop.internal.test:${port()}/hooks/tessera`]) {
      const keys = await relaxed.createProject({ webhookUrl: url })
      const before = receiver.received.length
      await tokenize(relaxed, callRelaxed, keys.test.secret_key)
      expect(await relaxed.running.vault.dispatcher.runOnce()).toMatchObject({ claimed: 1, delivered: 1 })
      expect(receiver.received.length).toBe(before + 1)
      expect((await lastEvent(callRelaxed, keys.test.secret_key)).delivery).toMatchObject({ status: 'delivered', last_response_status: 200 })
    }
  })

  it('delivers live-mode events only to https:// URLs; test-mode events to http:// too', async () => {
    const keys = await relaxed.createProject({ webhookUrl: receiver.url })
    const before = receiver.received.length
    await tokenize(relaxed, callRelaxed, keys.live.secret_key, liveCardNumber())
    await tokenize(relaxed, callRelaxed, keys.test.secret_key)
    expect(await relaxed.running.vault.dispatcher.runOnce()).toMatchObject({ claimed: 2, delivered: 1, retrying: 1 })
    expect(receiver.received.length).toBe(before + 1)
    expect(JSON.parse((receiver.received.at(-1) as { body: string }).body)).toMatchObject({ type: 'token.created', mode: 'test' })
    const live = await lastEvent(callRelaxed, keys.live.secret_key)
    expect(live.delivery).toMatchObject({ status: 'pending', last_response_status: null })
    expect(live.delivery.last_error).toBe('refused: Live-mode events are delivered only to https:// webhook URLs.')
  })

  it('follows no redirect: a 3xx answer is a failed attempt', async () => {
    const keys = await relaxed.createProject({ webhookUrl: receiver.url })
    receiver.answer(302)
    try {
      await tokenize(relaxed, callRelaxed, keys.test.secret_key)
      expect(await relaxed.running.vault.dispatcher.runOnce()).toMatchObject({ claimed: 1, retrying: 1 })
      expect((await lastEvent(callRelaxed, keys.test.secret_key)).delivery).toMatchObject({ status: 'pending', last_response_status: 302, last_error: 'HTTP 302' })
    } finally {
      receiver.answer(200)
    }
  })
})
