// `tessera serve --workers 2` as a real process tree: a worker killed is replaced by the primary
// (which logs the signal) while the port keeps answering; workers that keep dying at start
// (here: the port is taken) make the primary stop with a clear message instead of looping.
import type { ChildProcess } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../helpers/net.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { tempDir } from '../../helpers/vault.js'

const children: ChildProcess[] = []
afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)))
})

/** One GET on a fresh connection (no pooled socket to a worker that is gone). */
function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 5_000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
  })
}

const listening = (out: string) => [...out.matchAll(/"worker_pid":(\d+),"port":\d+,"msg":"vault worker listening"/g)].map((m) => Number(m[1]))

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not in ${timeoutMs} ms: ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('tessera serve --workers 2', () => {
  it('replaces a killed worker while the port keeps answering', async () => {
    const port = await freePort()
    const started = await startTessera(['serve', '--workers', '2', '--port', String(port), '--data', tempDir('tessera-cluster-')], /vault worker listening[\s\S]*vault worker listening/, { TESSERA_LOG_LEVEL: 'info' }, 60_000)
    children.push(started.child)
    const [victim, survivor] = listening(started.output())
    expect(victim).toBeGreaterThan(0)
    expect(survivor).toBeGreaterThan(0)
    const url = `http://127.0.0.1:${port}/health/live`
    expect(await get(url)).toBe(200)

    process.kill(victim!, 'SIGKILL')
    // A connection node:cluster hands to a worker in the instant it dies is lost with it (a client
    // retries it); from the moment the primary has seen the exit, every connection reaches a live worker.
    // (Killed soon after it started, the worker counts as dying at start: replaced after a pause.)
    const exitLine = new RegExp(`"worker_pid":${victim},"code":null,"signal":"SIGKILL".*"msg":"vault worker (exited; starting another|died at start; starting another after a pause)"`)
    await until(() => exitLine.test(started.output()), 5_000, 'the primary saw the exit')
    const statuses: number[] = []
    const deadline = Date.now() + 20_000
    while (listening(started.output()).length < 3 && Date.now() < deadline) statuses.push(await get(url))
    for (let i = 0; i < 10; i++) statuses.push(await get(url))

    const pids = listening(started.output())
    expect(pids).toHaveLength(3)
    expect(pids).not.toContain(undefined)
    expect(new Set(pids).size).toBe(3)
    expect(statuses.length).toBeGreaterThan(10)
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    expect(started.child.exitCode).toBeNull()
  }, 90_000)

  it('stops with a clear message when the workers keep dying at start', async () => {
    // The port is taken: every worker fails to listen and dies at once.
    const blocker = net.createServer()
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)))
    try {
      const result = await runTessera(['serve', '--workers', '2', '--port', String(port), '--data', tempDir('tessera-cluster-')], { TESSERA_LOG_LEVEL: 'info' }, 60_000)
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/vault workers keep dying at start: 5 in a row died before serving or within 5000 ms of it \(the last with exit code 1\); stopping/)
      const restarts = result.stdout.split('\n').filter((l) => l.includes('vault worker died at start; starting another after a pause'))
      expect(restarts.map((l) => JSON.parse(l).restart_in_ms)).toEqual([1000, 2000, 4000, 8000])
    } finally {
      await new Promise((r) => blocker.close(r))
    }
  }, 90_000)
})
