// Starts a throwaway PostgreSQL 15 cluster on loopback for tests (initdb into a temporary
// folder, as the postgres user when we are root, since PostgreSQL refuses to run as root).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './net.js'

export const PG_BIN = process.env.TESSERA_PG_BIN ?? '/usr/lib/postgresql/15/bin'

export interface PostgresServer {
  /** A URL for the `postgres` superuser's default database. */
  adminUrl: string
  port: number
  /** Stops the server as a crash or a failover does (`pg_ctl stop -m immediate`): connections drop at once. */
  crash(): Promise<void>
  /** Starts it again on the same port and data folder; resolves once it accepts connections. */
  restart(): Promise<void>
  stop(): Promise<void>
}

const asRoot = process.getuid?.() === 0

function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args]] : [path.join(PG_BIN, bin), args]
}

export function postgresAvailable(): boolean {
  return fs.existsSync(path.join(PG_BIN, 'postgres')) && fs.existsSync(path.join(PG_BIN, 'initdb'))
}

export interface PostgresServerOptions {
  /**
   * Acknowledge a commit only once its WAL is written (synchronous_commit=on), so a crash
   * (`crash()`) loses no acknowledged transaction. Off by default: the suites do not crash it.
   */
  durableCommits?: boolean
}

export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  if (!postgresAvailable()) throw new Error(`PostgreSQL 15 is not installed (no ${PG_BIN}/postgres): run .ci/run or apt-get install postgresql-15`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-pg-'))
  const dataDir = path.join(dir, 'data')
  fs.mkdirSync(dataDir)
  if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', dir])
  const [initBin, initArgs] = command('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  const init = spawnSync(initBin, initArgs, { encoding: 'utf8' })
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`)
  const port = await freePort()
  // Durability is not what these tests measure: fsync off keeps them quick.
  const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', `synchronous_commit=${options.durableCommits ? 'on' : 'off'}`, '-c', 'full_page_writes=off', '-c', 'max_connections=300']
  const [bin, args] = command('postgres', ['-D', dataDir, '-p', String(port), ...settings])
  let child!: ChildProcess
  const launch = async () => {
    child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let log = ''
    child.stderr?.on('data', (d) => (log += d))
    const deadline = Date.now() + 30_000
    for (;;) {
      const ready = spawnSync(path.join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)])
      if (ready.status === 0) break
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`PostgreSQL did not start:\n${log}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  await launch()
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async crash() {
      const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())))
      const [ctl, ctlArgs] = command('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w'])
      const result = spawnSync(ctl, ctlArgs, { encoding: 'utf8' })
      if (result.status !== 0) throw new Error(`pg_ctl stop failed: ${result.stderr}`)
      await exited
    },
    restart: launch,
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        // Signal the postmaster itself (its pid heads postmaster.pid): runuser, our direct
        // child, does not pass signals on. SIGINT is PostgreSQL's fast shutdown.
        const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
        try {
          process.kill(pid, 'SIGINT')
        } catch {
          child.kill('SIGKILL')
        }
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
      })
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
    },
  }
}

/** Writes a plain-SQL dump of every test database (schema and rows) into `dir`. */
export async function dumpDatabases(server: PostgresServer, dir: string): Promise<void> {
  const list = spawnSync(path.join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-At', '-c', "select datname from pg_database where datname like 'tessera_%'"], { encoding: 'utf8' })
  const out = path.join(dir, 'postgres')
  fs.mkdirSync(out, { recursive: true })
  for (const name of list.stdout.split('\n').filter(Boolean)) {
    const dump = spawnSync(path.join(PG_BIN, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '--data-only', name], { encoding: 'utf8', maxBuffer: 1 << 30 })
    fs.writeFileSync(path.join(out, `${name}.sql`), dump.stdout)
  }
}
