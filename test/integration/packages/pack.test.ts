// `npm run pack` as a merchant's developer meets it: the three tarballs installed offline into a
// scratch app, the README's examples (examples/*) type-checked against them, and the node client
// run against a real vault over HTTP.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signWebhook } from '../../../backend/events/signer.js'
import { pack } from '../../../scripts/pack.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVaultWithProject, type VaultWithProject } from '../../helpers/vault.js'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '../../..')
const EXAMPLES = ['merchant-server.ts', 'checkout.ts', 'checkout-react.tsx']

// Deliberate mistakes: each must be a compile error, so the types have teeth.
const TYPOS = `import { createTesseraClient } from '@tessera/node'
const vault = createTesseraClient({ vaultUrl: 'http://127.0.0.1', apiKey: 'sk_test_x' })
const { error } = await vault.GET('/v1/tokens/{token}', { params: { path: { token: 't' } } })
export const typo = error?.error.code === 'token_not_fuond'
export const card = document.querySelector('tessera-card')!.tokenize({ customerID: 'c_1' })
document.querySelector('tessera-card')!.addEventListener('tessera-change', (e) => e.detail.completed)
`

const RUNNER = `import { customerSession, onWebhook, savedCard } from './merchant-server.js'
const token = await savedCard(process.env.TOKEN ?? '')
const missing = await savedCard('tok_missing').then(() => 'found', (e: Error) => e.message)
const session = await customerSession('c_1')
const signed = await onWebhook(process.env.WEBHOOK_BODY ?? '', process.env.WEBHOOK_SIGNATURE)
const forged = await onWebhook(process.env.WEBHOOK_BODY ?? '', 'not-a-signature')
console.log(JSON.stringify({ token: token.token, last4: token.card.last4, status: token.status, missing, session: session.slice(0, 8), signed, forged }))
`

let app: string
let tarballs: Awaited<ReturnType<typeof pack>>
let v: VaultWithProject
/** The repository's package.json before and after packing. */
const rootManifest = { before: '', after: '' }

beforeAll(async () => {
  // Outside the run root: the secret scanner need not read bundled libraries.
  const work = mkdtempSync(path.join(os.tmpdir(), 'tessera-pack-'))
  rootManifest.before = readFileSync(path.join(ROOT, 'package.json'), 'utf8')
  tarballs = await pack(path.join(work, 'packages'))
  rootManifest.after = readFileSync(path.join(ROOT, 'package.json'), 'utf8')
  app = path.join(work, 'app')
  mkdirSync(app)
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'scratch-shop', private: true, type: 'module' }))
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', tarballs.card, tarballs.react, tarballs.node], { cwd: app, env: { ...process.env, npm_config_update_notifier: 'false' } })
  // What the shop has of its own: React and the Node and React types.
  for (const dep of ['react', '@types/react', '@types/node']) {
    mkdirSync(path.dirname(path.join(app, 'node_modules', dep)), { recursive: true })
    symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(app, 'node_modules', dep))
  }
  for (const file of EXAMPLES) cpSync(path.join(ROOT, 'examples', file), path.join(app, file))
  writeFileSync(path.join(app, 'typos.ts'), TYPOS)
  writeFileSync(path.join(app, 'run-server.ts'), RUNNER)
  writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, lib: ['ES2023', 'DOM', 'DOM.Iterable'], jsx: 'react-jsx', types: ['node'], outDir: 'out', skipLibCheck: true }, include: ['*.ts', '*.tsx'] }),
  )
  v = await startVaultWithProject()
}, 300_000)

afterAll(async () => {
  await v?.vault.close()
  if (app) rmSync(path.dirname(app), { recursive: true, force: true })
})

describe('npm run pack', () => {
  it("leaves the repository's package.json as it was (the manifest analyzer writes into it)", () => {
    expect(rootManifest.after).toBe(rootManifest.before)
    expect(JSON.parse(rootManifest.after)).not.toHaveProperty('customElements')
  })

  it('builds @tessera/card with its types and a custom-elements manifest from the JSDoc', () => {
    const pkg = path.join(app, 'node_modules/@tessera/card')
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'custom-elements.json'), 'utf8'))
    const element = manifest.modules.flatMap((m: { declarations: unknown[] }) => m.declarations).find((d: { tagName?: string }) => d.tagName === 'tessera-card')
    expect(element.name).toBe('TesseraCard')
    expect(element.events.map((e: { name: string }) => e.name).sort()).toEqual(['tessera-blur', 'tessera-change', 'tessera-error', 'tessera-focus', 'tessera-next-action', 'tessera-ready'])
    expect(element.attributes.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['publishable-key', 'locale', 'customer-session', 'disabled', 'name']))
    expect(element.cssParts.map((p: { name: string }) => p.name)).toEqual(['frame', 'unavailable'])
    expect(element.cssProperties).toHaveLength(10)
    const json = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'))
    expect(json).toMatchObject({ name: '@tessera/card', type: 'module', customElements: 'custom-elements.json' })
    expect(readFileSync(path.join(pkg, json.types), 'utf8')).toContain('export declare function loadTessera')
  })

  it("type-checks the README's examples against the installed packages, and refuses typos", async () => {
    const result = await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    )
    const errors = result.out.split('\n').filter((l) => /error TS/.test(l))
    // Every error is one of the deliberate typos; the examples compile clean.
    expect(errors.every((l) => l.startsWith('typos.ts')), result.out).toBe(true)
    expect(errors.map((l) => /^typos\.ts\((\d+)/.exec(l)?.[1]).sort()).toEqual(['4', '5', '6'])
    expect(result.code).not.toBe(0)
  }, 120_000)

  it('runs the merchant server example against a real vault: typed reads, typed errors, verified webhooks', async () => {
    const key = v.keys.test.secret_key
    const created = await v.call('POST', '/v1/tokens', { key, body: { card: await encryptCard(v.vault.url) } })
    expect(created.status).toBe(201)
    const body = JSON.stringify({ object: 'event', id: 'evt_0123456789abcdef01234567', type: 'token.created', created_at: new Date().toISOString(), mode: 'test', data: { object: { object: 'token', token: created.body.token } } })
    const signature = await signWebhook(body, await v.vault.running.vault.webhookKeys.signingKey(), { projectId: v.keys.projectId, at: new Date() })
    const { stdout } = await run(process.execPath, [path.join(app, 'out/run-server.js')], {
      cwd: app,
      env: { ...process.env, TESSERA_URL: v.vault.url, TESSERA_SECRET_KEY: key, TOKEN: created.body.token, WEBHOOK_BODY: body, WEBHOOK_SIGNATURE: signature },
    })
    expect(JSON.parse(stdout)).toEqual({
      token: created.body.token,
      last4: created.body.card.last4,
      status: 'active',
      missing: 'unknown card',
      session: 'cs_test_',
      signed: 'token.created token',
      forged: 'refused: signature_malformed',
    })
  }, 60_000)
})
