// WAL checkpoints off the event loop. SQLite copies the write-ahead log back into the database
// file (and syncs it) in whichever commit pushes the log past `wal_autocheckpoint` pages: on
// the vault's one connection that is a request's commit, and every request in flight waits for
// the copy and the fsync (tens of milliseconds on a busy disk, the tail of tokenize's latency).
// Here a worker thread with a connection of its own runs a PASSIVE checkpoint (which blocks
// neither writers nor readers) every `intervalMs`, so the serving connection's own automatic
// checkpoint, left at a much higher threshold as a backstop, does not come due.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

export const CHECKPOINTER_DEFAULTS = {
  /** How often the thread checkpoints (a checkpoint with nothing to copy costs next to nothing). */
  intervalMs: 200,
  /** The serving connection's own automatic checkpoint (pages), reached only if the thread falls behind. */
  backstopPages: 8000,
} as const

// Plain CommonJS run by the worker (`eval`), so it needs no TypeScript loader in the thread.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Another connection's checkpoint is running, or the file is busy: the next tick tries again.
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', (message) => {
  if (message !== 'stop') return
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
`

export class Checkpointer {
  #worker: Worker | null = null

  constructor(
    private readonly file: string,
    private readonly intervalMs: number = CHECKPOINTER_DEFAULTS.intervalMs,
  ) {}

  /** Starts the thread (once); it never keeps the process alive. */
  start(): void {
    if (this.#worker) return
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(THREAD, { eval: true, workerData: { driver, file: this.file, intervalMs: this.intervalMs } })
    // A thread that fails leaves the backstop checkpoint to the serving connection.
    worker.on('error', () => undefined)
    worker.unref()
    this.#worker = worker
  }

  /** Checkpoints once more and stops the thread. */
  async stop(): Promise<void> {
    const worker = this.#worker
    this.#worker = null
    if (!worker) return
    // Held referenced until it has exited: an unreferenced thread and timer would let the process end mid-await.
    worker.ref()
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    worker.postMessage('stop')
    let timer: NodeJS.Timeout | undefined
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)))])
    clearTimeout(timer)
    await worker.terminate()
  }
}
