// One vault pointed at the sandbox acquirer running as its own process on loopback, with a
// project, and the calls the payment tests make again and again.
import type { ChildProcess } from 'node:child_process'
import { expect } from 'vitest'
import { HttpAcquirerClient } from '../../../../backend/acquirer/http-client.js'
import { spawnAcquirer } from '../../../helpers/acquirer.js'
import { api, type Api, type ApiResponse } from '../../../helpers/api.js'
import { encryptCard, type CardFields } from '../../../helpers/cards.js'
import type { ProjectInput } from '../../../../backend/projects/service.js'
import { startVault, type TestProjectKeys, type TestVault, type TestVaultOptions } from '../../../helpers/vault.js'

/** The vault's acquirer timeout in these tests: the sandbox's hang card holds far longer. */
export const ACQUIRER_TIMEOUT_MS = 1_500

export const APPROVE = '4000000000000077'
export const year = new Date().getUTCFullYear() + 3

export interface World {
  vault: TestVault
  call: Api
  keys: TestProjectKeys
  acquirer: { child: ChildProcess; url: string }
  sk(): string
  card(number: string, overrides?: Partial<CardFields>): Promise<string>
  /** A token for `number` (201 expected), made with basic verification unless told. */
  tokenize(number: string, options?: { key?: string; customerId?: string; verification?: string; overrides?: Partial<CardFields> }): Promise<any>
  pay(body: Record<string, unknown>, options?: { key?: string; idempotencyKey?: string }): Promise<ApiResponse>
  close(): Promise<void>
}

export async function startWorld(options: TestVaultOptions & { acquirerTimeoutMs?: number; project?: Partial<ProjectInput> } = {}): Promise<World> {
  const acquirer = await spawnAcquirer()
  const client = new HttpAcquirerClient({ url: acquirer.url, timeoutMs: options.acquirerTimeoutMs ?? ACQUIRER_TIMEOUT_MS })
  const vault = await startVault({ acquirer: client, background: false, ...options })
  const call = api(vault.url)
  const keys = await vault.createProject(options.project)
  const sk = () => keys.test.secret_key
  const card = (number: string, overrides: Partial<CardFields> = {}) => encryptCard(vault.url, { number, exp_month: 6, exp_year: year, ...overrides })
  return {
    vault,
    call,
    keys,
    acquirer,
    sk,
    card,
    async tokenize(number, o = {}) {
      const body: Record<string, unknown> = { card: await card(number, o.overrides) }
      if (o.customerId) body.customer_id = o.customerId
      if (o.verification) body.verification = o.verification
      const res = await call('POST', '/v1/tokens', { key: o.key ?? sk(), body })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return res.body
    },
    pay(body, o = {}) {
      const headers: Record<string, string> = o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {}
      return call('POST', '/v1/payments', { key: o.key ?? sk(), body, headers })
    },
    async close() {
      await vault.close()
      if (acquirer.child.exitCode === null && acquirer.child.signalCode === null) {
        const exited = new Promise((resolve) => acquirer.child.once('exit', resolve))
        acquirer.child.kill('SIGTERM')
        await exited
      }
    },
  }
}

/** Rows that a refused request must not have added. */
const COUNTED = ['payments', 'tokens', 'seen_jtis', 'events', 'audit_log'] as const

export async function counts(vault: TestVault): Promise<Record<(typeof COUNTED)[number], number>> {
  const db = vault.running.vault.store.db
  const out = { payments: 0, tokens: 0, seen_jtis: 0, events: 0, audit_log: 0 }
  for (const table of COUNTED) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    out[table] = Number(row.n)
  }
  return out
}

/** The project's events of a type, newest first, through the API. */
export async function eventsOf(world: World, type: string): Promise<any[]> {
  const res = await world.call('GET', `/v1/events?type=${type}&limit=100`, { key: world.sk() })
  expect(res.status).toBe(200)
  return res.body.data
}
