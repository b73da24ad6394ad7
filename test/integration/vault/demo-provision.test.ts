// The demo shop's provisioning over HTTP through the management API and the published client
// (no vault internals):
// projects created once, reused and brought up to date on the next start, remade when their
// recorded keys no longer work.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PROJECTS } from '../../../demo/shop/demo-projects.js'
import { ensureDemoProjects } from '../../../demo/shop/provision.js'
import { createTesseraClient, type TesseraClient } from '../../../packages/node/index.js'
import { startVault, tempDir, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let client: TesseraClient
const file = path.join(tempDir('tessera-provision-'), 'demo-projects.json')

beforeAll(async () => {
  vault = await startVault()
  client = createTesseraClient({ vaultUrl: vault.url, apiKey: await vault.createAdminKey() })
})
afterAll(() => vault.close())

const project = async (id: string) => (await client.GET('/v1/projects/{id}', { params: { path: { id } } })).data

describe('demo provisioning through the management API', () => {
  it('creates the demo projects, then reuses them with new origins, and remakes one whose key was deleted', async () => {
    const first = await ensureDemoProjects(client, file, { origins: ['http://127.0.0.1:3000'], webhookUrl: 'http://127.0.0.1:3000/webhooks/tessera' })
    expect(first.created).toBe(DEMO_PROJECTS.length)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    for (const record of first.records) {
      expect(await project(record.project_id)).toMatchObject({ allowed_origins: ['http://127.0.0.1:3000'], token_format: record.settings.token_format, verification: record.settings.verification })
    }

    // Another shop port: the same projects, their origins and webhook URL changed in place.
    const second = await ensureDemoProjects(client, file, { origins: ['http://127.0.0.1:4000'], webhookUrl: 'http://127.0.0.1:4000/webhooks/tessera' })
    expect(second.created).toBe(0)
    expect(second.records.map((r) => r.project_id)).toEqual(first.records.map((r) => r.project_id))
    expect(await project(first.records[0]?.project_id as string)).toMatchObject({ allowed_origins: ['http://127.0.0.1:4000'], webhook_url: 'http://127.0.0.1:4000/webhooks/tessera' })

    // A recorded key that no longer works: that project is made anew, the others kept.
    const victim = first.records[1]!
    const keys = (await client.GET('/v1/projects/{id}/keys', { params: { path: { id: victim.project_id } } })).data!
    const secret = keys.data.find((k) => k.kind === 'secret' && k.mode === 'test')!
    const deleted = await client.DELETE('/v1/projects/{id}/keys/{key_id}', { params: { path: { id: victim.project_id, key_id: secret.id } } })
    expect(deleted.response.status).toBe(200)
    const third = await ensureDemoProjects(client, file, { origins: ['http://127.0.0.1:4000'], webhookUrl: 'http://127.0.0.1:4000/webhooks/tessera' })
    expect(third.created).toBe(1)
    expect(third.records[1]?.project_id).not.toBe(victim.project_id)
    expect(third.records[0]?.project_id).toBe(first.records[0]?.project_id)
  })
})
