// The built scripts and stylesheets the vault serves (the loader, the frame's, the payment
// page's), held in memory with the Brotli and gzip encodings the build wrote beside each file
// (rollup.config.js, `precompressed`), and answered in the best one the client accepts. The size
// budgets are min+gzip: a shopper on a phone downloads about a third of the bytes. Subresource
// Integrity covers the decoded body, so the hashes are the same in every encoding.
import { existsSync, readFileSync } from 'node:fs'
import type { Context } from 'hono'

export type Encoding = 'br' | 'gzip'

export interface StaticAsset {
  /** The file as built: what SRI hashes and what a client that accepts no encoding gets. */
  readonly identity: Bytes
  readonly encoded: ReadonlyMap<Encoding, Bytes>
  readonly contentType: string
}

type Bytes = Uint8Array<ArrayBuffer>

const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' }

/** Copied once into a plain Uint8Array: answered as it is, with no copy per request. */
const read = (file: string): Bytes => new Uint8Array(readFileSync(file))

/** Reads a built file and whichever encodings of it the build wrote (a build without them serves it as it is). */
export function readStaticAsset(file: string, contentType: string): StaticAsset {
  const encoded = new Map<Encoding, Bytes>()
  for (const encoding of ['br', 'gzip'] as const) {
    const sibling = file + SUFFIX[encoding]
    if (existsSync(sibling)) encoded.set(encoding, read(sibling))
  }
  return { identity: read(file), encoded, contentType }
}

/**
 * The encoding to answer with, from Accept-Encoding (RFC 9110 §12.5.3): Brotli, then gzip, each
 * only when accepted with a q above 0, by name or by `*`; otherwise none.
 */
export function chooseEncoding(acceptEncoding: string | undefined, available: ReadonlySet<Encoding> | ReadonlyMap<Encoding, unknown>): Encoding | null {
  if (!acceptEncoding) return null
  const q = new Map<string, number>()
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (!name) continue
    const weight = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
    q.set(name, weight === undefined ? 1 : Number(weight))
  }
  const accepted = (encoding: Encoding) => (q.get(encoding) ?? (encoding === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0) > 0
  for (const encoding of ['br', 'gzip'] as const) if (available.has(encoding) && accepted(encoding)) return encoding
  return null
}

/** Answers with the asset in the client's best accepted encoding; the caller sets caching and CORS. */
export function staticAnswer(c: Context, asset: StaticAsset): Response {
  const encoding = chooseEncoding(c.req.header('accept-encoding'), asset.encoded)
  c.header('Vary', 'Accept-Encoding')
  if (encoding !== null) c.header('Content-Encoding', encoding)
  const body = encoding === null ? asset.identity : (asset.encoded.get(encoding) as Bytes)
  return c.body(body, 200, { 'Content-Type': asset.contentType })
}
