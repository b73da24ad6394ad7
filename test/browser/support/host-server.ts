// A merchant's site for browser tests: a plain node:http server on 127.0.0.1 (the vault runs on
// localhost, so the two are different sites) serving the pages a test registers. Named
// `localhost` instead, its pages are on the vault's site (another port: another origin).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface HostServer {
  origin: string
  /** Serves `html` at `path` (GET). */
  page(path: string, html: string): string
  /** Bodies of the form POSTs the server received, by path. */
  posts: { path: string; body: string }[]
  close(): Promise<void>
}

export async function startHost(options: { hostname?: 'localhost' | '127.0.0.1' } = {}): Promise<HostServer> {
  const pages = new Map<string, string>()
  const posts: HostServer['posts'] = []
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (req.method === 'POST') {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        posts.push({ path, body })
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>ok</title><p id="received">received</p>')
      })
      return
    }
    const html = pages.get(path)
    if (html === undefined) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://${options.hostname ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`
  return {
    origin,
    posts,
    page(path, html) {
      pages.set(path, html)
      return origin + path
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A merchant page that loads the loader from the vault. */
export function merchantPage(vaultUrl: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>${head}<script type="module" src="${vaultUrl}/v1/tessera.js"></script></head><body>${body}</body></html>`
}
