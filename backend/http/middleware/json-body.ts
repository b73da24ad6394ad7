// Request bodies: JSON only (415 otherwise), at most 16 KB (413), an object (400 otherwise).
import type { MiddlewareHandler } from 'hono'
import { InvalidRequestError, TesseraError } from '../../errors.js'
import type { AppEnv } from '../env.js'

export const BODY_DEFAULTS = { maxBytes: 16 * 1024 } as const

export interface JsonBodyOptions {
  maxBytes?: number
}

const tooLarge = (max: number) => new TesseraError(413, 'invalid_request_error', 'body_too_large', `The request body is over ${max / 1024} KB.`)

async function readLimited(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (declared > max) throw tooLarge(max)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      throw tooLarge(max)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function jsonBody(options: JsonBodyOptions = {}): MiddlewareHandler<AppEnv> {
  const max = options.maxBytes ?? BODY_DEFAULTS.maxBytes
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'DELETE') {
      c.set('body', {})
      c.set('rawBody', '')
      return next()
    }
    const type = c.req.header('content-type')
    const raw = await readLimited(c.req.raw, max)
    if (raw.length === 0 && !type) {
      c.set('body', {})
      c.set('rawBody', '')
      return next()
    }
    if (!type || !/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(type)) {
      throw new TesseraError(415, 'invalid_request_error', 'unsupported_media_type', 'Send the body as application/json.')
    }
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      throw new InvalidRequestError('invalid_json', 'The request body is not valid JSON.')
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidRequestError('invalid_json', 'The request body must be a JSON object.')
    }
    c.set('body', body as Record<string, unknown>)
    c.set('rawBody', raw)
    await next()
  }
}
