// One request header, read from node's raw header list when the request came through the node
// server: the same value `c.req.header(name)` gives (names matched in any case, repeats joined
// with ", " as undici's Headers does; node's parser has already dropped surrounding whitespace),
// without building a Headers object of every header the request carries, which a token read
// otherwise does only to look at two of them. In-process requests (app.request) read c.req.
// test/unit/backend/request-header.test.ts holds the two readings equal over a real socket.
import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

/** `name` in lower case. */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (incoming?.rawHeaders === undefined) return c.req.header(name)
  const raw = incoming.rawHeaders
  let value: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i] as string
    if (key.length !== name.length || key.toLowerCase() !== name) continue
    const found = raw[i + 1] as string
    value = value === undefined ? found : `${value}, ${found}`
  }
  return value
}
