// Request bodies: JSON only (415 otherwise), at most 16 KB (413, by Hono's bodyLimit, declared
// or streamed), an object (400 otherwise).
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { InvalidRequestError, TesseraError } from '../../errors.js'
import type { AppEnv } from '../env.js'

export const BODY_DEFAULTS = { maxBytes: 16 * 1024 } as const

const JSON_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i

export interface JsonBodyOptions {
  maxBytes?: number
}

const tooLarge = (max: number) => new TesseraError(413, 'invalid_request_error', 'body_too_large', `The request body is over ${max / 1024} KB.`)

export function jsonBody(options: JsonBodyOptions = {}): MiddlewareHandler<AppEnv> {
  const max = options.maxBytes ?? BODY_DEFAULTS.maxBytes
  const limit = bodyLimit({
    maxSize: max,
    onError: () => {
      throw tooLarge(max)
    },
  })
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'DELETE') {
      c.set('body', {})
      c.set('rawBody', '')
      return next()
    }
    const type = c.req.header('content-type')
    // Refused before the body stream is opened: @hono/node-server then answers on a connection
    // it can keep alive, instead of closing it under a half-read body.
    if (Number(c.req.header('content-length')) > max) throw tooLarge(max)
    let raw = ''
    await limit(c, async () => {
      raw = await c.req.text()
    })
    // No body is no parameters, also from clients that always send the JSON content type.
    if (raw.length === 0 && (!type || JSON_TYPE.test(type))) {
      c.set('body', {})
      c.set('rawBody', '')
      return next()
    }
    if (!type || !JSON_TYPE.test(type)) {
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
