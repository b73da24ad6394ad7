// The `tessera` command as users run it: project create, serve, keys rotate.
import BetterSqlite3 from 'better-sqlite3'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { tempDir } from '../../helpers/vault.js'

const dataDir = tempDir('tessera-cli-')
const cleanups: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const c of cleanups) await c()
})

describe('tessera project create', () => {
  it('prints exactly the project id and four keys with --json', async () => {
    const out = await runTessera(['project', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--origin', 'http://localhost:3000', '--token-format', 'luhn', '--token-management', 'unique-account', '--on-duplicate', 'error', '--verification', 'none', '--require-cvc-for-saved-cards', '--json', '--data', dataDir])
    expect(out.code).toBe(0)
    const json = JSON.parse(out.stdout)
    expect(Object.keys(json)).toEqual(['project_id', 'test', 'live'])
    expect(json.project_id).toMatch(/^proj_/)
    for (const mode of ['test', 'live']) {
      expect(Object.keys(json[mode])).toEqual(['publishable_key', 'secret_key'])
      expect(json[mode].publishable_key).toMatch(new RegExp(`^pk_${mode}_[0-9A-Za-z]{32}$`))
      expect(json[mode].secret_key).toMatch(new RegExp(`^sk_${mode}_[0-9A-Za-z]{32}$`))
    }
    const db = new BetterSqlite3(path.join(dataDir, 'tessera.db'), { readonly: true })
    const project = db.prepare('select * from projects where id = ?').get(json.project_id) as Record<string, string>
    const keyRows = db.prepare('select key_hash, prefix from api_keys where project_id = ?').all(json.project_id) as { key_hash: string }[]
    db.close()
    expect(project).toMatchObject({ token_format: 'luhn', token_management: 'unique-account', on_duplicate: 'error', verification: 'none', tokenize_on_purchase: 0, account_updater: 'off', require_cvc_for_saved_cards: 1 })
    expect(JSON.parse(project.allowed_origins as string)).toEqual(['https://shop.example', 'http://localhost:3000'])
    // Keys are stored hashed: the database holds no key.
    expect(keyRows).toHaveLength(4)
    const dump = JSON.stringify(keyRows)
    expect(dump).not.toContain(json.test.secret_key)
    expect(dump).not.toContain(json.live.secret_key)
  })

  it('takes --tokenize-on-purchase and --account-updater on|off (default: neither)', async () => {
    const out = await runTessera(['project', 'create', '--name', 'Seeds', '--origin', 'https://shop.example', '--tokenize-on-purchase', '--account-updater', 'on', '--json', '--data', dataDir])
    expect(out.code, out.stderr).toBe(0)
    const id = JSON.parse(out.stdout).project_id
    const off = JSON.parse((await runTessera(['project', 'create', '--name', 'Off', '--origin', 'https://shop.example', '--account-updater', 'off', '--json', '--data', dataDir])).stdout).project_id
    const db = new BetterSqlite3(path.join(dataDir, 'tessera.db'), { readonly: true })
    const read = (pid: string) => db.prepare('select tokenize_on_purchase, account_updater from projects where id = ?').get(pid)
    expect(read(id)).toEqual({ tokenize_on_purchase: 1, account_updater: 'on' })
    expect(read(off)).toEqual({ tokenize_on_purchase: 0, account_updater: 'off' })
    db.close()
  })

  it('refuses bad options with a usage message and exit code 2', async () => {
    for (const args of [['--name', 'X', '--origin', 'https://a.example', '--account-updater', 'yes'], ['--name', 'X', '--origin', 'https://a.example', '--tokenize-on-purchase=no'], ['--origin', 'https://a.example'], ['--name', 'X'], ['--name', 'X', '--origin', 'not a url'], ['--name', 'X', '--origin', 'https://a.example/path'], ['--name', 'X', '--origin', 'https://a.example', '--token-format', 'uuid']]) {
      const out = await runTessera(['project', 'create', '--data', dataDir, ...args])
      expect(out.code).toBe(2)
      expect(out.stderr).toContain('Usage:')
    }
  })
})

describe('tessera project create --webhook', () => {
  const create = (url: string, env: NodeJS.ProcessEnv = {}) => runTessera(['project', 'create', '--name', 'Hooks', '--origin', 'https://shop.example', '--webhook', url, '--json', '--data', dataDir], env)

  it('refuses a loopback, private or metadata webhook URL with exit code 1 and the reason, storing nothing', async () => {
    const db = new BetterSqlite3(path.join(dataDir, 'tessera.db'), { readonly: true })
    const projects = () => (db.prepare('select count(*) as n from projects').get() as { n: number }).n
    const before = projects()
    for (const [url, reason] of [
      ['http://169.254.169.254/latest/meta-data/', 'the cloud metadata address'],
      ['http://127.0.0.1:9/hooks', 'a loopback address'],
      ['http://[::ffff:10.0.0.1]/hooks', 'a private address'],
    ]) {
      const out = await create(url as string)
      expect(out.code, url).toBe(1)
      expect(out.stderr).toContain(reason)
      expect(out.stdout).toBe('')
    }
    expect(projects()).toBe(before)
    db.close()
  })

  it('refuses a bad setting on a first run without making the data folder or a master key', async () => {
    const fresh = path.join(tempDir('tessera-cli-fresh-'), 'data')
    // A refused webhook (the rule, exit 1) and a refused origin (a usage error, exit 2).
    for (const [args, code] of [[['--webhook', 'http://127.0.0.1:9/hooks'], 1], [['--origin', 'ftp://shop.example'], 2]] as const) {
      const out = await runTessera(['project', 'create', '--name', 'First', '--origin', 'https://shop.example', ...args, '--json', '--data', fresh])
      expect(out.code, args.join(' ')).toBe(code)
      expect(out.stdout).toBe('')
      expect(existsSync(fresh), args.join(' ')).toBe(false)
    }
    const out = await runTessera(['project', 'create', '--name', 'First', '--origin', 'https://shop.example', '--json', '--data', fresh])
    expect(out.code, out.stderr).toBe(0)
    expect(existsSync(path.join(fresh, 'master.key'))).toBe(true)
  })

  it('accepts a loopback webhook URL with TESSERA_ALLOW_PRIVATE_WEBHOOKS=1', async () => {
    const out = await create('http://127.0.0.1:9/hooks', { TESSERA_ALLOW_PRIVATE_WEBHOOKS: '1' })
    expect(out.code).toBe(0)
    expect(JSON.parse(out.stdout).project_id).toMatch(/^proj_/)
  })
})

describe('tessera serve and keys rotate', () => {
  it('serves the API; after a rotation both the old and the new key decrypt', async () => {
    const created = JSON.parse((await runTessera(['project', 'create', '--name', 'Rot', '--origin', 'https://shop.example', '--json', '--data', dataDir])).stdout)
    const server = await startTessera(['serve', '--port', '0', '--data', dataDir], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/)
    cleanups.push(() => stop(server.child))
    const url = server.match[1] as string
    const call = api(url)
    const oldCard = await encryptCard(url)
    const oldKid = (await (await fetch(`${url}/v1/jwks`)).json()).keys[0].kid

    const rotated = await runTessera(['keys', 'rotate', '--data', dataDir])
    expect(rotated.code).toBe(0)
    const newKid = /New JWE key (\S+) is active/.exec(rotated.stdout)?.[1]
    expect(newKid).toBeDefined()
    expect(newKid).not.toBe(oldKid)

    const db = new BetterSqlite3(path.join(dataDir, 'tessera.db'), { readonly: true })
    const row = db.prepare('select public_jwk from jwe_keys where kid = ?').get(newKid) as { public_jwk: string }
    db.close()
    const newCard = await encryptCard(url, {}, { jwk: { ...JSON.parse(row.public_jwk), kid: newKid } })

    expect((await call('POST', '/v1/tokens', { key: created.test.secret_key, body: { card: oldCard } })).status).toBe(201)
    expect((await call('POST', '/v1/tokens', { key: created.test.secret_key, body: { card: newCard } })).status).toBe(201)
    expect(await stop(server.child)).toBe(0)
  })
})

describe('tessera webhook-keys rotate', () => {
  it('makes a new signing key active and keeps the previous one published', async () => {
    const dir = tempDir('tessera-cli-whk-')
    expect((await runTessera(['webhook-keys', 'rotate', '--data', dir])).code).toBe(0)
    const out = await runTessera(['webhook-keys', 'rotate', '--data', dir])
    expect(out.code).toBe(0)
    const kid = /New webhook signing key (\S+) signs/.exec(out.stdout)?.[1]
    const db = new BetterSqlite3(path.join(dir, 'tessera.db'), { readonly: true })
    const rows = db.prepare('select kid, status from webhook_keys order by created_at').all() as { kid: string; status: string }[]
    db.close()
    expect(rows.filter((r) => r.status === 'active').map((r) => r.kid)).toEqual([kid])
    expect(rows.filter((r) => r.status === 'retiring')).toHaveLength(2)
  })
})
