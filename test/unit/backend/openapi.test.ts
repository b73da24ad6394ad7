import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../backend/config.js'
import { ERROR_CODES } from '../../../common/error-codes.js'
import { REFERENCE_PAGE_CSP } from '../../../backend/http/openapi/reference-page.js'
import { createLogger } from '../../../backend/logger.js'
import { createVault, type Vault } from '../../../backend/vault.js'
import { tempDir } from '../../helpers/artifacts.js'

let vault: Vault
let doc: { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; security: unknown[] }>>; components: { schemas: Record<string, { enum?: string[] }> } }

beforeAll(async () => {
  vault = await createVault(loadConfig({}, { dataDir: tempDir() }), { logger: createLogger({ level: 'silent' }) })
  const res = await vault.app.request('/v1/openapi.json')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  doc = await res.json()
})
afterAll(() => vault.close())

/** What the app mounts: every route with a method (not middleware: ALL or a path ending in *). */
function mountedRoutes(): string[] {
  const seen = new Set<string>()
  for (const route of vault.app.routes) {
    if (route.method === 'ALL' || route.path.endsWith('*')) continue
    seen.add(`${route.method.toLowerCase()} ${route.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`)
  }
  return [...seen].sort()
}

const documented = () => Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`)).sort()

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0')
    const result = await new Validator().validate(doc as never)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
  })

  it('documents every route the app mounts, and no route it does not', () => {
    const mounted = mountedRoutes()
    expect(mounted.length).toBeGreaterThan(20)
    expect(documented()).toEqual(mounted)
  })

  it('lists the closed set of error codes, and every error answer refers to it', () => {
    expect(doc.components.schemas.ErrorCode?.enum).toEqual(Object.keys(ERROR_CODES))
    const tokenize = doc.paths['/v1/tokens']?.post as unknown as { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> }
    expect(tokenize.responses.default?.content['application/json']?.schema.$ref).toBe('#/components/schemas/Error')
  })

  it("describes a request body with the route's own schema: fields, requirements, no unknown fields", () => {
    const body = (doc.paths['/v1/payments']?.post?.requestBody as { content: { 'application/json': { schema: { required: string[]; additionalProperties: boolean; properties: Record<string, unknown> } } } }).content['application/json'].schema
    expect(body.required.sort()).toEqual(['amount', 'currency'])
    expect(body.additionalProperties).toBe(false)
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['token', 'card', 'save_card', 'customer_id', 'capture', 'initiator']))
    expect(doc.paths['/v1/jwks']?.get?.security).toEqual([])
    expect(doc.paths['/v1/tokens/{token}']?.get?.security).toEqual([{ secretKey: [] }])
  })

  it('answers a public, cacheable document with the usual API headers', async () => {
    const res = await vault.app.request('/v1/openapi.json')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('request-id')).toMatch(/^req_/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const post = await vault.app.request('/v1/openapi.json', { method: 'POST' })
    expect(post.status).toBe(405)
    expect((await post.json()).error.code).toBe('method_not_allowed')
  })
})

describe('the reference page at /docs', () => {
  it('renders every operation and error code without any script, under its own strict CSP', async () => {
    const res = await vault.app.request('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.headers.get('content-security-policy')).toBe(REFERENCE_PAGE_CSP)
    expect(REFERENCE_PAGE_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}';/)
    expect(REFERENCE_PAGE_CSP).toContain("frame-ancestors 'none'")
    const html = await res.text()
    expect(html).not.toMatch(/<script|<link|(src|href)="(https?:)?\/\//i)
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code>${path}</code>`)
    for (const code of Object.keys(ERROR_CODES)) expect(html).toContain(`<code>${code}</code>`)
    // The one inline stylesheet is exactly the one the CSP hash allows.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? ''
    const { createHash } = await import('node:crypto')
    expect(REFERENCE_PAGE_CSP).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`)
  })
})

describe("@tessera/node's generated types", () => {
  it('match the document (run `npm run openapi` after changing a route)', async () => {
    const { readFileSync } = await import('node:fs')
    const { NODE_TYPES_FILE, openApiTypes } = await import('../../../scripts/openapi.js')
    expect(readFileSync(NODE_TYPES_FILE, 'utf8')).toBe(await openApiTypes())
  })
})
