// The README's Express webhook example, run as written (only the vault URL, the project id and
// @tessera/node's path in this repository are filled in), receiving real deliveries: a running
// vault signs its events and POSTs them to the example's app on loopback. The project's own
// event is accepted (204, logged); another project's event on the same vault is refused (400
// wrong_project), and so is a request without a signature. Express is a devDependency for this docs test only.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import express from 'express'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVault, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const GENERATED = path.join(import.meta.dirname, `.readme-webhook-express-${process.pid}.mjs`)

function readmeExample(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const match = /<!-- webhook-example:express -->\n```js\n([\s\S]*?)```/.exec(readme)
  if (!match) throw new Error('README.md has no Express webhook example')
  return match[1] as string
}

interface Answered {
  status: number
  body: string
}

let vault: TestVault
let call: Api
let ours: TestProjectKeys
let theirs: TestProjectKeys
let server: Server
let receiverUrl: string
/** What the example's app answered, in order: the outer app only watches, it changes nothing. */
const answered: Answered[] = []
const logged = vi.fn()

beforeAll(async () => {
  vault = await startVault()
  call = api(vault.url)
  // The receiver's URL is needed before the projects exist: listen first, mount the example after.
  const outer = express()
  let example: express.Express | null = null
  outer.use((req, res, next) => {
    const send = res.send.bind(res)
    res.send = (body?: unknown) => {
      answered.push({ status: res.statusCode, body: typeof body === 'string' ? body : '' })
      return send(body)
    }
    if (!example) return void res.sendStatus(503)
    example(req, res, next)
  })
  server = await new Promise<Server>((resolve) => {
    const s = outer.listen(0, '127.0.0.1', () => resolve(s))
  })
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/tessera`
  ours = await vault.createProject({ webhookUrl: receiverUrl })
  theirs = await vault.createProject({ webhookUrl: receiverUrl })

  const code = readmeExample()
    .replace("'@tessera/node'", JSON.stringify(path.join(ROOT, 'packages/node/index.ts')))
    .replace("'https://vault.example'", JSON.stringify(vault.url))
    .replace("'proj_…'", JSON.stringify(ours.projectId))
  expect(code).toContain(JSON.stringify(vault.url))
  expect(code).toContain(JSON.stringify(ours.projectId))
  expect(code).not.toContain("'@tessera/node'")
  writeFileSync(GENERATED, code)
  vi.spyOn(console, 'log').mockImplementation(logged)
  example = (await import(GENERATED)).app
})

afterAll(async () => {
  vi.restoreAllMocks()
  rmSync(GENERATED, { force: true })
  await vault?.close()
  await new Promise((resolve) => server?.close(resolve))
})

async function tokenize(keys: TestProjectKeys): Promise<void> {
  const res = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url), customer_id: 'cust_readme' } })
  expect(res.status).toBe(201)
}

async function nextAnswer(count: number): Promise<Answered> {
  await vi.waitFor(() => expect(answered.length).toBeGreaterThanOrEqual(count), { timeout: 15_000, interval: 50 })
  return answered[count - 1] as Answered
}

it("accepts its own project's event, delivered and signed by the vault", async () => {
  await tokenize(ours)
  expect((await nextAnswer(1)).status).toBe(204)
  // The vault counts it delivered: the example answered within the delivery's time.
  await vi.waitFor(async () => {
    const [event] = (await call('GET', '/v1/events', { key: ours.test.secret_key })).body.data
    expect(event).toMatchObject({ type: 'token.created', delivery: { status: 'delivered', last_response_status: 204 } })
    expect(logged).toHaveBeenCalledWith('tessera event', 'token.created', event.id)
  }, { timeout: 15_000, interval: 100 })
})

it("refuses another project's event on the same vault, and a request without a signature", async () => {
  const before = answered.length
  await tokenize(theirs)
  expect(await nextAnswer(before + 1)).toEqual({ status: 400, body: 'wrong_project' })
  await vi.waitFor(async () => {
    const [event] = (await call('GET', '/v1/events', { key: theirs.test.secret_key })).body.data
    expect(event).toMatchObject({ type: 'token.created', delivery: { status: 'pending', last_response_status: 400 } })
  }, { timeout: 15_000, interval: 100 })
  const unsigned = await fetch(receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"object":"event"}' })
  expect([unsigned.status, await unsigned.text()]).toEqual([400, 'signature_missing'])
  expect(logged).toHaveBeenCalledTimes(1)
})
