// Builds the OpenAPI 3.1 document from OPERATIONS: valibot schemas → JSON Schema (2020-12, the
// dialect OpenAPI 3.1 uses) with @valibot/to-json-schema. Built once, on first request.
import { toJsonSchema, toJsonSchemaDefs, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema'
import type * as v from 'valibot'
import { ERROR_CODES } from '../../../common/error-codes.js'
import { AuditEvent, BrowserToken, CustomerSession, DeletedToken, ErrorCodeSchema, ErrorObject, EventObject, JsonWebKeySet, MaskedCard, PaymentObject, PayoutObject, SavedCard, TokenObject } from './objects.js'
import { OPERATIONS, type Access, type Operation } from './operations.js'

/** Named schemas: answers refer to them as `#/components/schemas/<name>`. */
const COMPONENTS = { Error: ErrorObject, ErrorCode: ErrorCodeSchema, Token: TokenObject, BrowserToken, DeletedToken, MaskedCard, SavedCard, CustomerSession, Payment: PaymentObject, Payout: PayoutObject, Event: EventObject, AuditEvent, JsonWebKeySet }

const CONVERSION: ConversionConfig = {
  target: 'draft-2020-12',
  // Checks JSON Schema cannot say (a currency in Intl's list, an identifier that is not a card
  // number) stay in the route; the document keeps the types, lengths and patterns around them.
  errorMode: 'ignore',
  overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
}

function schemaOf(schema: v.GenericSchema): JsonSchema {
  const { $schema: _dialect, $defs: _defs, ...rest } = toJsonSchema(schema, { ...CONVERSION, definitions: COMPONENTS })
  return rest
}

const ACCESS: Record<Access, { security: Record<string, string[]>[]; note: string }> = {
  none: { security: [], note: 'No key.' },
  any: { security: [{ publishableKey: [] }, { secretKey: [] }], note: 'A publishable key (from the card frame) or a secret key.' },
  secret: { security: [{ secretKey: [] }], note: 'A secret key (`sk_`) or a restricted key (`rk_`) with the permission.' },
  admin: { security: [{ adminKey: [] }], note: 'An admin key (`ak_`).' },
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}')

function parameters(op: Operation): unknown[] {
  const out: unknown[] = []
  for (const match of op.path.matchAll(/:([A-Za-z_]+)/g)) out.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } })
  for (const [name, entry] of Object.entries(op.query?.entries ?? {})) {
    const optional = entry.type === 'optional'
    out.push({ name, in: 'query', required: !optional, schema: schemaOf(optional ? (entry as v.OptionalSchema<v.GenericSchema, undefined>).wrapped : entry) })
  }
  for (const header of op.headers ?? []) out.push({ name: header.name, in: 'header', required: header.required ?? false, description: header.description, schema: { type: 'string' } })
  // The management API takes no Idempotency-Key (its creations answer secrets once).
  if (op.method === 'post' && op.access !== 'none' && op.access !== 'admin') {
    out.push({ name: 'Idempotency-Key', in: 'header', required: false, description: 'Retries with the same key answer the first result (scoped by project, mode and key).', schema: { type: 'string', minLength: 1, maxLength: 255 } })
  }
  return out
}

function operation(op: Operation): Record<string, unknown> {
  const responses: Record<string, unknown> = {}
  for (const [status, answer] of Object.entries(op.responses)) {
    const content = answer.schema ? { 'application/json': { schema: schemaOf(answer.schema) } } : { [answer.contentType ?? 'application/octet-stream']: {} }
    responses[status] = { description: answer.description, content }
  }
  responses.default = { description: 'An error: `{"error": {type, code, message, param?}}` with a fitting status', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
  const access = ACCESS[op.access]
  return {
    operationId: `${op.method}${openApiPath(op.path).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    tags: [op.tag],
    summary: op.summary,
    description: access.note,
    security: access.security,
    parameters: parameters(op),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } } } : {}),
    responses,
    ...(op.internal ? { 'x-internal': true } : {}),
  }
}

export interface OpenApiDocument {
  openapi: '3.1.0'
  info: { title: string; version: string; description: string }
  paths: Record<string, Record<string, Record<string, unknown>>>
  components: Record<string, unknown>
  tags: { name: string }[]
}

export function buildOpenApiDocument(version: string, operations: readonly Operation[] = OPERATIONS): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {}
  for (const op of operations) (paths[openApiPath(op.path)] ??= {})[op.method] = operation(op)
  const schemas = toJsonSchemaDefs(COMPONENTS, CONVERSION)
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera vault API',
      version,
      description: 'A self-hostable card vault. Errors are `{"error": {type, code, message, param?}}`; `code` is one of the closed set in `ErrorCode` (docs/errors.md). Every response carries `Request-Id`.',
    },
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: {
        ...schemas,
        ErrorCode: { ...schemas.ErrorCode, description: 'The closed set of error codes', 'x-enum-descriptions': Object.fromEntries(Object.entries(ERROR_CODES).map(([code, info]) => [code, info.description])) },
      },
      securitySchemes: {
        publishableKey: { type: 'http', scheme: 'bearer', description: '`pk_test_...` / `pk_live_...`: public, bound to the allowed origins; tokenize and customer-session reads only.' },
        secretKey: { type: 'http', scheme: 'bearer', description: '`sk_...` (or a restricted `rk_...`): the merchant server\'s key. Never from a browser.' },
        adminKey: { type: 'http', scheme: 'bearer', description: '`ak_...`: manages projects and keys.' },
      },
    },
  }
}
