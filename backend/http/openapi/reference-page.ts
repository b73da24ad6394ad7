// GET /docs: a static HTML reference rendered on the server from the OpenAPI document. No
// script and no asset from elsewhere, so the page keeps a CSP as strict as the API's: its one
// inline stylesheet is allowed by hash, nothing else loads.
import crypto from 'node:crypto'
import { ERROR_CODES } from '../../../common/error-codes.js'
import type { OpenApiDocument } from './document.js'

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:960px;padding:1rem 1.5rem;color:#1b1f24}
h1{font-size:1.6rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
section.op{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
.m{display:inline-block;min-width:4.5em;font:600 .8rem ui-monospace,monospace;text-transform:uppercase}
.get{color:#0969da}.post{color:#1a7f37}.patch{color:#9a6700}.delete{color:#cf222e}
code,pre{font:13px ui-monospace,monospace}pre{background:#f6f8fa;padding:.6rem;overflow:auto;max-height:24rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eaeef2;padding:.25rem .4rem;text-align:left;vertical-align:top}
.key{color:#57606a;font-style:italic;margin-top:-.5rem}
table{display:block;overflow-x:auto}nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem}nav a{margin:0;white-space:nowrap}p code,h3 code{overflow-wrap:anywhere}`

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const md = (s: string) => escape(s).replace(/`([^`]+)`/g, '<code>$1</code>')

type Schema = { $ref?: string; type?: string; enum?: unknown[]; anyOf?: Schema[]; items?: Schema; properties?: Record<string, Schema>; required?: string[]; const?: unknown; pattern?: string; minLength?: number; maxLength?: number; minimum?: number; maximum?: number; format?: string }

/** A schema in one line: a link for a named schema, the type and its constraints otherwise. */
function typeOf(schema: Schema | undefined): string {
  if (!schema) return ''
  if (schema.$ref) {
    const name = schema.$ref.split('/').at(-1) ?? ''
    return `<a href="#schema-${escape(name)}">${escape(name)}</a>`
  }
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' or ')
  if (schema.const !== undefined) return `<code>${escape(JSON.stringify(schema.const))}</code>`
  if (schema.enum) return schema.enum.map((e) => `<code>${escape(String(e))}</code>`).join(' | ')
  if (schema.type === 'array') return `array of ${typeOf(schema.items)}`
  if (schema.properties?.object?.const === 'list') return `a list (cursor pages) of ${typeOf(schema.properties.data?.items)}`
  const limits = [
    schema.format,
    schema.pattern && `pattern <code>${escape(schema.pattern)}</code>`,
    schema.minLength !== undefined && `length ≥ ${schema.minLength}`,
    schema.maxLength !== undefined && `length ≤ ${schema.maxLength}`,
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
  ].filter(Boolean)
  return `${escape(schema.type ?? 'any')}${limits.length ? ` (${limits.join(', ')})` : ''}`
}

/** An object schema as a table of its fields; anything else as its one-line type. */
function fields(schema: Schema | undefined): string {
  if (!schema?.properties) return `<p>${typeOf(schema)}</p>`
  const required = new Set(schema.required ?? [])
  return `<table><tr><th>field</th><th>type</th><th>required</th></tr>${Object.entries(schema.properties)
    .map(([name, field]) => `<tr><td><code>${escape(name)}</code></td><td>${typeOf(field)}</td><td>${required.has(name) ? 'yes' : 'no'}</td></tr>`)
    .join('')}</table>`
}

type Op = Record<string, unknown> & { tags: string[]; summary: string; description: string; parameters: { name: string; in: string; required: boolean; description?: string }[] }

function renderOperation(method: string, path: string, op: Op): string {
  const params = op.parameters.length
    ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th></th></tr>${op.parameters.map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td>${md(p.description ?? '')}</td></tr>`).join('')}</table>`
    : ''
  const body = op.requestBody ? `<h4>Request body (JSON)</h4>${fields((op.requestBody as { content: Record<string, { schema: Schema }> }).content['application/json']?.schema)}` : ''
  const responses = Object.entries(op.responses as Record<string, { description: string; content: Record<string, { schema?: Schema }> }>)
    .map(([status, r]) => {
      const [type, media] = Object.entries(r.content)[0] ?? ['', {}]
      return `<tr><td>${status}</td><td>${md(r.description)}</td><td>${media.schema ? typeOf(media.schema) : `<code>${escape(type)}</code>`}</td></tr>`
    })
    .join('')
  return `<section class="op" id="${escape(String(op.operationId))}"><h3><span class="m ${method}">${method}</span> <code>${escape(path)}</code></h3><p>${md(op.summary)}</p><p class="key">${md(op.description)}</p>${params}${body}<h4>Responses</h4><table>${responses}</table></section>`
}

export function renderReferencePage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>()
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods) as [string, Op][]) {
      const tag = op.tags[0] ?? 'Other'
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(method, path, op)])
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="tag-${escape(tag)}">${escape(tag)}</h2>${ops.join('')}`).join('')
  const codes = Object.entries(ERROR_CODES).map(([code, info]) => `<tr><td><code>${code}</code></td><td>${info.type}</td><td>${md(info.description)}</td></tr>`).join('')
  const schemas = Object.entries(doc.components.schemas as Record<string, Schema>)
    .filter(([name]) => name !== 'ErrorCode')
    .map(([name, schema]) => `<h3 id="schema-${escape(name)}">${escape(name)}</h3>${fields(schema)}`)
    .join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(doc.info.title)} ${escape(doc.info.version)}</title><style>${STYLE}</style></head><body>
<h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1><p>${md(doc.info.description)} The machine-readable document: <a href="/v1/openapi.json">/v1/openapi.json</a> (OpenAPI 3.1).</p>
<nav>${[...byTag.keys()].map((t) => `<a href="#tag-${escape(t)}">${escape(t)}</a>`).join('')}<a href="#errors">Errors</a><a href="#schemas">Schemas</a></nav>
${sections}<h2 id="errors">Error codes</h2><p id="schema-ErrorCode">The closed set: <code>error.code</code> is always one of these.</p><table><tr><th>code</th><th>type</th><th></th></tr>${codes}</table><h2 id="schemas">Schemas</h2>${schemas}</body></html>`
}

/** The page's own CSP: only its inline stylesheet, by hash; no script, no framing. */
export const REFERENCE_PAGE_CSP = `default-src 'none'; style-src 'sha256-${crypto.createHash('sha256').update(STYLE).digest('base64')}'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
