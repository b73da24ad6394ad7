// Starts support/vault-process.ts as a child process over a test vault's data folder and
// database, and talks to it over stdin/stdout.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { JobReport } from '../../../../backend/jobs/index.js'
import type { TestVault } from '../../../helpers/vault.js'
import type { VaultProcessOptions } from './vault-process.js'

const SCRIPT = path.resolve(import.meta.dirname, 'vault-process.ts')

export interface VaultProcess {
  child: ChildProcess
  /** Asks the child to run a job once; resolves with its report. */
  runJob(name: string): Promise<JobReport>
}

export function spawnVaultProcess(vault: TestVault, options: VaultProcessOptions, timeoutMs = 20_000): Promise<VaultProcess> {
  const databaseUrl = vault.running.vault.config.databaseUrl
  const env = { ...process.env, TESSERA_LOG_LEVEL: 'warn', TESSERA_ALLOW_PRIVATE_WEBHOOKS: '1', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, vault.dataDir, JSON.stringify(options)], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  const lines: string[] = []
  const waiters: (() => void)[] = []
  child.stdout.on('data', (d: Buffer) => {
    out += d
    const parts = out.split('\n')
    out = parts.pop() ?? ''
    lines.push(...parts.filter(Boolean))
    for (const wake of waiters.splice(0)) wake()
  })
  let errors = ''
  child.stderr.on('data', (d: Buffer) => (errors += d))
  const nextLine = (match: (l: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vault process said nothing useful in ${timeoutMs} ms:\n${lines.join('\n')}\n${errors}`)), timeoutMs)
      const look = () => {
        const i = lines.findIndex(match)
        if (i >= 0) {
          clearTimeout(timer)
          resolve(lines.splice(i, 1)[0] as string)
        } else waiters.push(look)
      }
      look()
    })
  return nextLine((l) => l.includes('"ready":true')).then(() => ({
    child,
    async runJob(name) {
      child.stdin.write(`run ${name}\n`)
      return (JSON.parse(await nextLine((l) => l.includes(`"job":"${name}"`))) as { report: JobReport }).report
    },
  }))
}
