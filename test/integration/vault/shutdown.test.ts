// Stopping the vault's HTTP server (SIGTERM, Ctrl-C, a worker going away): a request in flight
// finishes, and connections with nothing in flight (a browser's preconnect that never sent a
// request, a keep-alive connection between requests) do not hold the vault open until their
// header timeout, a minute later.
import http from 'node:http'
import net from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { describe, expect, it } from 'vitest'
import { closeServer, trackSockets } from '../../../backend/http/close-server.js'
import { startVaultWithProject } from '../../helpers/vault.js'

const connect = (port: number) =>
  new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket))
    socket.on('error', reject)
  })

/** One GET on a keep-alive agent: its connection then stays open, idle. */
async function keepAliveGet(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    }).on('error', reject)
  })
}

async function slowServer(delayMs: number): Promise<{ server: ServerType; port: number; sockets: Set<net.Socket> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: async () => new Promise<Response>((r) => setTimeout(() => r(new Response('done')), delayMs)), port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const sockets = trackSockets(server)
  return { server, port: (server.address() as net.AddressInfo).port, sockets }
}

describe('stopping the vault', () => {
  it('is not held open by an unused connection or an idle keep-alive one', async () => {
    const { vault } = await startVaultWithProject()
    const port = Number(new URL(vault.url).port)
    const agent = new http.Agent({ keepAlive: true })
    expect(await keepAliveGet(`${vault.url}/v1/jwks`, agent)).toBe(200)
    const unused = await connect(port)
    const ended = new Promise<void>((resolve) => unused.on('close', () => resolve()))
    const started = Date.now()
    await vault.close()
    expect(Date.now() - started).toBeLessThan(3000)
    await ended
    agent.destroy()
  })

  it('lets a request in flight finish, then stops', async () => {
    const { server, port, sockets } = await slowServer(300)
    const unused = await connect(port)
    const answer = new Promise<string>((resolve, reject) => {
      http.get(`http://127.0.0.1:${port}/`, (res) => {
        let body = ''
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve(body))
      }).on('error', reject)
    })
    await new Promise((r) => setTimeout(r, 50)) // the request is in the handler
    const started = Date.now()
    await closeServer(server, sockets, 5000)
    expect(await answer).toBe('done')
    expect(Date.now() - started).toBeLessThan(3000)
    expect(unused.destroyed || unused.readyState === 'closed').toBe(true)
  })

  it('cuts a request still running after the grace period', async () => {
    const { server, port, sockets } = await slowServer(10_000)
    const answer = new Promise<string>((resolve) => {
      http.get(`http://127.0.0.1:${port}/`, (res) => res.on('end', () => resolve('answered')).resume()).on('error', (e) => resolve(`cut: ${(e as NodeJS.ErrnoException).code}`))
    })
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    await closeServer(server, sockets, 200)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await answer).toMatch(/^cut: /)
  })
})
