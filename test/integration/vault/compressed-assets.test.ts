// The vault's built scripts and stylesheets over real HTTP: in Brotli or gzip when the client
// accepts it (the build writes both), as built otherwise; always the same bytes once decoded, so
// the published SRI hashes hold in every encoding. Read with node:http: fetch would decode.
import { createHash } from 'node:crypto'
import http from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let keys: TestProjectKeys

beforeAll(async () => ({ vault, keys } = await startVaultWithProject({}, { origins: ['https://shop.example'] })))
afterAll(() => vault.close())

interface Raw {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

function get(path: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${vault.url}${path}`, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
  })
}

const decode = (raw: Raw) => (raw.headers['content-encoding'] === 'br' ? brotliDecompressSync(raw.body) : raw.headers['content-encoding'] === 'gzip' ? gunzipSync(raw.body) : raw.body)

/** Every built file a checkout loads from the vault: the loader, the frame page's assets, the payment page's script. */
async function assetPaths(): Promise<string[]> {
  const page = (await get(`/frame/card?key=${keys.test.publishable_key}&origin=${encodeURIComponent('https://shop.example')}&locale=de`)).body.toString()
  const frame = [...page.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => `/frame/${m[1]}`)
  expect(frame.length).toBeGreaterThanOrEqual(4) // stylesheet, early script, main script, German
  return ['/v1/tessera.js', ...frame]
}

describe('built scripts and stylesheets', () => {
  it('come in Brotli, else gzip, else as built, the same bytes once decoded', async () => {
    for (const path of await assetPaths()) {
      const plain = await get(path)
      expect(plain.status, path).toBe(200)
      expect(plain.headers['content-encoding'], path).toBeUndefined()
      expect(plain.headers.vary, path).toMatch(/accept-encoding/i)
      for (const [accept, encoding] of [
        ['gzip, deflate, br, zstd', 'br'],
        ['gzip, deflate', 'gzip'],
        ['br;q=0, gzip', 'gzip'],
        ['identity', undefined],
        ['br;q=0, gzip;q=0', undefined],
      ] as const) {
        const raw = await get(path, accept)
        expect(raw.headers['content-encoding'], `${path} ${accept}`).toBe(encoding)
        expect(raw.headers.vary, path).toMatch(/accept-encoding/i)
        expect(Number(raw.headers['content-length']), path).toBe(raw.body.length)
        expect(decode(raw).equals(plain.body), `${path} ${accept}`).toBe(true)
      }
      // Worth it: the frame's script is about a third of its size in Brotli.
      if (/\/card-[^/]+\.js$/.test(path)) expect((await get(path, 'br')).body.length).toBeLessThan(plain.body.length / 2.5)
    }
  })

  it('keep the published loader integrity in every encoding', async () => {
    const sri = (await get('/v1/tessera.js.sri')).body.toString()
    for (const accept of ['br', 'gzip', undefined]) {
      const body = decode(await get('/v1/tessera.js', accept))
      expect(`sha384-${createHash('sha384').update(body).digest('base64')}`, String(accept)).toBe(sri)
    }
  })

  it('are never served as their encoded files by name', async () => {
    const script = (await assetPaths()).find((p) => p.startsWith('/frame/card-') && p.endsWith('.js'))
    expect(script).toBeDefined()
    for (const path of ['/v1/tessera.js.br', '/v1/tessera.js.gz', `${script}.br`, `${script}.gz`]) {
      expect((await get(path)).status, path).toBe(404)
    }
  })
})
