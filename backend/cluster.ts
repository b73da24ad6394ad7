// `tessera serve --workers N`: N vault processes on one machine sharing the listening port
// (node:cluster) and the database. The primary prepares the store once (migrations, first
// keys), then forks. A worker that dies is replaced and the primary logs why (exit code or
// signal); workers that die soon after starting are replaced after a growing pause, and when
// they keep doing so the primary stops with a message saying so rather than loop for ever.
import cluster, { type Worker } from 'node:cluster'
import type { Config } from './config.js'
import type { Logger } from './logger.js'
import { createVault, startVault, type RunningVault } from './vault.js'

export const CLUSTER_DEFAULTS = {
  /** A worker that dies before it listens, or sooner than this after, died "at start". */
  minUptimeMs: 5_000,
  /** The pause before replacing a worker that died at start; it doubles with each such death in a row. */
  restartDelayMs: 1_000,
  maxRestartDelayMs: 30_000,
  /** This many deaths at start in a row (no worker outliving minUptimeMs between them) stop the primary. */
  maxStartDeaths: 5,
} as const

export type ClusterOptions = { [K in keyof typeof CLUSTER_DEFAULTS]?: number }

/** Decides what to do when a worker exits: when to start another, or to give up. */
export class RestartPolicy {
  #startDeaths = 0
  readonly #options: Required<ClusterOptions>

  constructor(options: ClusterOptions = {}) {
    this.#options = { ...CLUSTER_DEFAULTS, ...options }
  }

  /** A worker exited after serving for `uptimeMs` (0 if it never listened): restart after `delayMs`, or give up. */
  exited(uptimeMs: number): { restart: true; delayMs: number; atStart: boolean } | { restart: false; startDeaths: number } {
    if (uptimeMs >= this.#options.minUptimeMs) {
      this.#startDeaths = 0
      return { restart: true, delayMs: 0, atStart: false }
    }
    this.#startDeaths++
    if (this.#startDeaths >= this.#options.maxStartDeaths) return { restart: false, startDeaths: this.#startDeaths }
    const delayMs = Math.min(this.#options.maxRestartDelayMs, this.#options.restartDelayMs * 2 ** (this.#startDeaths - 1))
    return { restart: true, delayMs, atStart: true }
  }
}

export async function runPrimary(config: Config, workers: number, logger: Logger, options: ClusterOptions = {}): Promise<void> {
  const prepared = await createVault(config, { logger })
  await prepared.close()
  const policy = new RestartPolicy(options)
  const minUptimeMs = options.minUptimeMs ?? CLUSTER_DEFAULTS.minUptimeMs
  const startedAt = new Map<number, number>()
  const listeningAt = new Map<number, number>()
  let stopping = false
  const fork = () => {
    if (stopping) return
    const worker = cluster.fork()
    startedAt.set(worker.id, Date.now())
  }
  const stop = (code: number) => {
    if (stopping) return
    stopping = true
    process.exitCode = code
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
    const exitWhenDone = () => (Object.keys(cluster.workers ?? {}).length === 0 ? process.exit(code) : setTimeout(exitWhenDone, 50))
    exitWhenDone()
  }
  cluster.on('listening', (worker: Worker, address) => {
    listeningAt.set(worker.id, Date.now())
    logger.info({ worker: worker.id, worker_pid: worker.process.pid, port: address.port }, 'vault worker listening')
  })
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return
    const now = Date.now()
    const listened = listeningAt.get(worker.id)
    const why = { worker: worker.id, worker_pid: worker.process.pid, code, signal, uptime_ms: now - (startedAt.get(worker.id) ?? now), served_ms: listened === undefined ? null : now - listened }
    startedAt.delete(worker.id)
    listeningAt.delete(worker.id)
    // A slow start (a loaded machine, a database being waited for) is not held against a worker: only time serving counts.
    const decision = policy.exited(listened === undefined ? 0 : now - listened)
    if (!decision.restart) {
      const message = `vault workers keep dying at start: ${decision.startDeaths} in a row died before serving or within ${minUptimeMs} ms of it (the last with ${signal ? `signal ${signal}` : `exit code ${code}`}); stopping. See the workers' log lines above for the cause.`
      logger.fatal(why, message)
      process.stderr.write(`tessera: ${message}\n`)
      stop(1)
      return
    }
    logger.warn({ ...why, restart_in_ms: decision.delayMs }, decision.atStart ? 'vault worker died at start; starting another after a pause' : 'vault worker exited; starting another')
    setTimeout(fork, decision.delayMs)
  })
  for (let i = 0; i < workers; i++) fork()
  process.once('SIGINT', () => stop(0))
  process.once('SIGTERM', () => stop(0))
}

export function isClusterWorker(): boolean {
  return cluster.isWorker
}

export async function runWorker(config: Config): Promise<RunningVault> {
  return startVault(config)
}
