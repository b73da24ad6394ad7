// GET /v1/openapi.json and GET /docs. Both are built once, on their first request, and served
// from memory after that; no other route pays anything for them.
import { readFileSync } from 'node:fs'
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { buildOpenApiDocument, type OpenApiDocument } from './document.js'
import { REFERENCE_PAGE_CSP, renderReferencePage } from './reference-page.js'

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version

export function referenceRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  let doc: OpenApiDocument | undefined
  let body: string | undefined
  let page: string | undefined
  const document = () => (doc ??= buildOpenApiDocument(VERSION))

  app.get('/v1/openapi.json', (c) => {
    body ??= JSON.stringify(document())
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cache-Control', 'public, max-age=300')
    return c.body(body, 200, { 'Content-Type': 'application/json; charset=UTF-8' })
  })

  app.get('/docs', (c) => {
    page ??= renderReferencePage(document())
    c.header('Content-Security-Policy', REFERENCE_PAGE_CSP)
    c.header('Cache-Control', 'public, max-age=300')
    return c.html(page)
  })

  return app
}
