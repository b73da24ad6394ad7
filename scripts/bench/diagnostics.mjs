// Where a server's latency tail comes from: loaded into each vault process of `npm run bench`
// when TESSERA_BENCH_DIAGNOSTICS=<dir> is set (vault-process.ts), it writes
// <dir>/diagnostics-<pid>.json when the process exits: event-loop turns over 25 ms (with the
// CPU the process used meanwhile and its involuntary context switches: a turn that used little
// CPU but was switched out hundreds of times waited for a core, one that used its whole length
// was work), GC pauses by kind, write groups (size, lock wait, work, commit:
// store/write-groups.ts publishes them on `tessera:write-group`), each POST's time inside the
// server (from its headers parsed to its answer written) and each thread's CPU time.
import { subscribe } from 'node:diagnostics_channel'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { PerformanceObserver, performance } from 'node:perf_hooks'

const dir = process.env.TESSERA_BENCH_DIAGNOSTICS
if (dir && process.argv.includes('serve')) {
  const at = () => Math.round(performance.now())
  const stalls = []
  const gc = {}
  const groups = { count: 0, sizes: {}, maxLockMs: 0, maxWorkMs: 0, maxCommitMs: 0, commitsOver3Ms: 0 }
  const posts = []

  const TICK_MS = 2
  let last = performance.now()
  let lastCpu = process.cpuUsage()
  let lastSwitches = process.resourceUsage().involuntaryContextSwitches
  setInterval(() => {
    const now = performance.now()
    const cpu = process.cpuUsage()
    const switches = process.resourceUsage().involuntaryContextSwitches
    const lateMs = now - last - TICK_MS
    if (lateMs > 25) stalls.push({ at: at(), ms: Math.round(lateMs), cpuMs: Math.round((cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000), switchedOut: switches - lastSwitches })
    ;[last, lastCpu, lastSwitches] = [now, cpu, switches]
  }, TICK_MS).unref()

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' }[entry.detail?.kind] ?? String(entry.detail?.kind)
      const k = (gc[kind] ??= { count: 0, totalMs: 0, maxMs: 0 })
      k.count++
      k.totalMs += entry.duration
      k.maxMs = Math.max(k.maxMs, entry.duration)
    }
  }).observe({ entryTypes: ['gc'] })

  subscribe('tessera:write-group', ({ size, lockMs, workMs, commitMs }) => {
    groups.count++
    const bucket = size >= 64 ? '64+' : size >= 32 ? '32-63' : size >= 8 ? '8-31' : '1-7'
    groups.sizes[bucket] = (groups.sizes[bucket] ?? 0) + 1
    groups.maxLockMs = Math.max(groups.maxLockMs, lockMs)
    groups.maxWorkMs = Math.max(groups.maxWorkMs, workMs)
    groups.maxCommitMs = Math.max(groups.maxCommitMs, commitMs)
    if (commitMs > 3) groups.commitsOver3Ms++
  })

  const emit = http.Server.prototype.emit
  http.Server.prototype.emit = function (name, request, response) {
    if (name === 'request' && request.method === 'POST') {
      const began = performance.now()
      response.once('finish', () => posts.push(performance.now() - began))
    }
    return emit.apply(this, arguments)
  }

  const threads = () => {
    const out = []
    try {
      for (const task of fs.readdirSync('/proc/self/task')) {
        const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        const ms = (Number(fields[11]) + Number(fields[12])) * 10
        if (ms > 0) out.push({ name: fs.readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim(), cpuMs: ms })
      }
    } catch {
      // no /proc
    }
    return out
  }
  const percentile = (xs, q) => Math.round((xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0) * 10) / 10

  process.on('exit', () => {
    const sorted = [...posts].sort((a, b) => a - b)
    const round = (o) => JSON.parse(JSON.stringify(o, (_, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v)))
    const report = {
      posts: { count: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: percentile(sorted, 1) },
      stalls,
      gc: round(gc),
      groups: round(groups),
      threads: threads(),
    }
    fs.writeFileSync(path.join(dir, `diagnostics-${process.pid}.json`), JSON.stringify(report, null, 1))
  })
}
