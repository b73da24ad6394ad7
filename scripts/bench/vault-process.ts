// Starts a server for the benchmark as its own process: `tessera serve` (logging to a file as a
// real deployment would) or the bare reference tokenizer, and waits until it answers.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { freePort } from '../../test/helpers/net.js'

const BIN = path.resolve(import.meta.dirname, '../../bin/tessera.js')
const REFERENCE = path.resolve(import.meta.dirname, 'reference.ts')
const DIAGNOSTICS = path.resolve(import.meta.dirname, 'diagnostics.mjs')

export interface VaultProcess {
  url: string
  /** CPU time (user + system) the server's processes have used so far, in ms; NaN where /proc is missing. */
  cpuMs(): number
  stop(): Promise<void>
}

/**
 * utime + stime of a process and all its descendants (`--workers N` forks them) from /proc
 * (Linux), in ms at the usual 100 ticks a second; NaN where /proc is missing.
 */
function processCpuMs(root: number | undefined): number {
  let entries: string[]
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))
  } catch {
    return Number.NaN
  }
  const stats = new Map<number, { ppid: number; ticks: number }>()
  for (const pid of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      stats.set(Number(pid), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) })
    } catch {
      // gone meanwhile
    }
  }
  if (root === undefined || !stats.has(root)) return Number.NaN
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, depth = 0; p && depth < 8; p = stats.get(p)?.ppid, depth++) if (p === root) return true
    return false
  }
  let ticks = 0
  for (const [pid, s] of stats) if (inTree(pid)) ticks += s.ticks
  return ticks * 10
}

// Rate limits would answer most of a benchmark's requests with 429: the bench measures the work.
const NO_RATE_LIMITS = JSON.stringify({ tokenize: { perKey: null, perAddress: null }, customerSessionList: { perKey: null, perAddress: null } })

export async function startVaultProcess(dataDir: string, workers = 1, env: NodeJS.ProcessEnv = {}): Promise<VaultProcess> {
  const port = await freePort()
  // TESSERA_BENCH_DIAGNOSTICS=<dir>: each vault process writes where its latency went there (diagnostics.mjs).
  const diagnostics = process.env.TESSERA_BENCH_DIAGNOSTICS ? ['--import', DIAGNOSTICS] : []
  return startProcess(dataDir, port, [...diagnostics, BIN, 'serve', '--port', String(port), '--data', dataDir, '--workers', String(workers)], { TESSERA_RATE_LIMITS: NO_RATE_LIMITS, ...env }, workers)
}

/** The reference tokenizer (reference.ts) with its configuration, minus the port this picks. */
export async function startReferenceProcess(dataDir: string, config: Record<string, unknown>): Promise<VaultProcess> {
  const port = await freePort()
  const REFERENCE_CONFIG = JSON.stringify({ ...config, port, logFile: path.join(dataDir, `reference-${port}.log`) })
  return startProcess(dataDir, port, ['--import', 'tsx', REFERENCE], { REFERENCE_CONFIG }, 1)
}

async function startProcess(dataDir: string, port: number, args: string[], env: NodeJS.ProcessEnv, workers: number): Promise<VaultProcess> {
  const log = fs.openSync(path.join(dataDir, `process-${port}.log`), 'a')
  // TESSERA_BENCH_CPU_PROF=<dir>: each server writes a .cpuprofile there when it stops (profile-summary.ts sums one).
  const profileDir = process.env.TESSERA_BENCH_CPU_PROF
  if (profileDir) args = ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir), ...args]
  const child: ChildProcess = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  let up = 0
  // With several workers, wait until a run of answers shows the pool is warm.
  while (up < 5 * workers) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start; see ${dataDir}`)
    const ok = await fetch(`${url}/v1/jwks`).then((r) => r.ok, () => false)
    up = ok ? up + 1 : 0
    await new Promise((r) => setTimeout(r, ok ? 20 : 200))
  }
  return {
    url,
    cpuMs: () => processCpuMs(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          fs.closeSync(log)
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}
