// One webhook POST, connected only to an address the URL rule checked: the request's DNS
// lookup answers the checked addresses, so a name that resolves elsewhere by the time of the
// connection (DNS rebinding) cannot redirect it. Redirects are answers, never followed.
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { CheckedWebhookUrl } from './webhook-url.js'

export interface WebhookPost {
  target: CheckedWebhookUrl
  body: string
  headers: Record<string, string>
  signal: AbortSignal
}

/** Answers what a lookup for the URL's host answers: the checked addresses and nothing else. */
function pinnedLookup(target: CheckedWebhookUrl): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = target.addresses
    if (!first) return callback(new Error('no checked address'), '', 4)
    if (options.all) return (callback as unknown as (e: null, all: { address: string; family: number }[]) => void)(null, target.addresses)
    callback(null, first.address, first.family)
  }
}

/** POSTs the body; resolves with the response status (the body is discarded), rejects on a network failure or abort. */
export function postWebhook(post: WebhookPost): Promise<number> {
  const { url } = post.target
  const client = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'POST',
      headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
      lookup: pinnedLookup(post.target),
      // No pooled sockets: each delivery connects to the address it checked.
      agent: false,
      signal: post.signal,
    })
    request.once('response', (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.once('error', reject)
    request.end(post.body)
  })
}
