// The README's Hono webhook example, run as written: only the vault URL, the project id and the
// import of `@tessera/node` (resolved to its source, packages/node) are filled in. A signed event for the project passes; another project's
// event, a changed body and a missing signature are refused.
import { exportJWK, generateKeyPair } from 'jose'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { signWebhook } from '../../../backend/events/signer.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const GENERATED = path.join(import.meta.dirname, `.readme-webhook-${process.pid}.ts`)

function readmeExample(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const match = /<!-- webhook-example:hono -->\n```ts\n([\s\S]*?)```/.exec(readme)
  if (!match) throw new Error('README.md has no Hono webhook example')
  return match[1] as string
}

let server: Server
let app: { request(path: string, init: RequestInit): Response | Promise<Response> }
const key = { kid: 'whk_test', privateKey: null as unknown as CryptoKey }
const body = JSON.stringify({ object: 'event', id: 'evt_readme', type: 'token.created', created_at: new Date().toISOString(), data: { object: { object: 'token' } }, mode: 'test' })

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true })
  key.privateKey = pair.privateKey as CryptoKey
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: key.kid, alg: 'ES256', use: 'sig' }] })
  server = createServer((req, res) => {
    if (req.url !== '/v1/webhook-keys') return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const vault = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const code = readmeExample()
    .replace("'@tessera/node'", JSON.stringify(path.join(ROOT, 'packages/node/index.ts')))
    .replace("'https://vault.example'", JSON.stringify(vault))
    .replace("'proj_…'", "'proj_readme'")
  expect(code).toContain(vault)
  expect(code).toContain("'proj_readme'")
  expect(code).not.toContain("'@tessera/node'")
  writeFileSync(GENERATED, code)
  app = (await import(GENERATED)).app
})

afterAll(() => {
  rmSync(GENERATED, { force: true })
  server?.close()
})

const post = (payload: string, signature?: string) =>
  app.request('/webhooks/tessera', { method: 'POST', body: payload, headers: { 'content-type': 'application/json', ...(signature ? { 'tessera-signature': signature } : {}) } })

it('accepts an event signed for its project', async () => {
  const res = await post(body, await signWebhook(body, key, { projectId: 'proj_readme', at: new Date() }))
  expect(res.status).toBe(204)
})

it("refuses another project's event, a changed body and a missing signature", async () => {
  const other = await post(body, await signWebhook(body, key, { projectId: 'proj_other', at: new Date() }))
  expect([other.status, await other.text()]).toEqual([400, 'wrong_project'])
  const signature = await signWebhook(body, key, { projectId: 'proj_readme', at: new Date() })
  const changed = await post(body.replace('evt_readme', 'evt_forged'), signature)
  expect([changed.status, await changed.text()]).toEqual([400, 'signature_invalid'])
  const unsigned = await post(body)
  expect([unsigned.status, await unsigned.text()]).toEqual([400, 'signature_missing'])
})
