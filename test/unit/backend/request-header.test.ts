// requestHeader (backend/http/request-header.ts) reads a header from node's raw list instead of
// undici's Headers: over a real node server, with the bytes sent on a raw socket (repeats, any
// case, surrounding whitespace, absent), it gives exactly what c.req.header gives.
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestHeader } from '../../../backend/http/request-header.js'

const NAMES = ['authorization', 'origin', 'x-forwarded-proto', 'x-absent']
let server: ServerType
let port: number

beforeAll(async () => {
  const app = new Hono()
  app.get('/', (c) => c.json(NAMES.map((name) => ({ ours: requestHeader(c, name) ?? null, hono: c.req.header(name) ?? null }))))
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/** Sends `headerLines` as they are and answers the parsed JSON body. */
function rawGet(headerLines: string[]): Promise<{ ours: string | null; hono: string | null }[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let text = ''
    socket.on('data', (chunk) => (text += chunk.toString('utf8')))
    socket.on('end', () => {
      const body = text.slice(text.indexOf('\r\n\r\n') + 4)
      try {
        resolve(JSON.parse(body))
      } catch (error) {
        reject(new Error(`no JSON in ${JSON.stringify(text)}: ${String(error)}`))
      }
    })
    socket.on('error', reject)
    socket.write(['GET / HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close', ...headerLines, '', ''].join('\r\n'))
  })
}

describe('requestHeader over the node server', () => {
  const cases: Record<string, string[]> = {
    'one of each': ['Authorization: Bearer sk_test_abc', 'Origin: https://shop.example', 'X-Forwarded-Proto: https'],
    'any case': ['AUTHORIZATION: Bearer one', 'oRiGiN: https://a.example', 'x-FORWARDED-proto: http'],
    repeats: ['Authorization: Bearer one', 'authorization: Bearer two', 'Origin: https://a.example', 'ORIGIN: https://b.example', 'X-Forwarded-Proto: https', 'X-Forwarded-Proto: http'],
    whitespace: ['Authorization:   Bearer spaced  \t', 'Origin:\thttps://tab.example ', 'X-Forwarded-Proto:  https  '],
    empty: ['Authorization:', 'Origin: '],
    none: [],
  }
  for (const [name, lines] of Object.entries(cases)) {
    it(`reads ${name} as hono does`, async () => {
      const answers = await rawGet(lines)
      expect(answers).toHaveLength(NAMES.length)
      for (const { ours, hono } of answers) expect(ours).toBe(hono)
      if (lines.length > 0) expect(answers[0]?.hono).not.toBeNull()
    })
  }
})
