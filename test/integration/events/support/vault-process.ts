// Another vault process over the same data folder and database, for the multi-process tests:
// its dispatcher and jobs run with the options given, on its own clock (a fixed manual one when
// `clock` is given). It prints {"ready":true} and then, for each stdin line `run <job>`, runs that
// job once and prints {"job", "report"}.
// Usage: node --import tsx vault-process.ts <dataDir> '<options JSON>'   (DATABASE_URL from the environment)
import readline from 'node:readline'
import { ManualClock } from '../../../../backend/clock.js'
import { loadConfig } from '../../../../backend/config.js'
import type { DispatcherOptions } from '../../../../backend/events/dispatcher.js'
import type { JobsOptions } from '../../../../backend/jobs/index.js'
import { createLogger } from '../../../../backend/logger.js'
import { startVault } from '../../../../backend/vault.js'

export interface VaultProcessOptions {
  webhooks?: DispatcherOptions
  jobs?: JobsOptions
  background?: boolean
  clock?: string
}

const [dataDir, json] = process.argv.slice(2)
if (!dataDir || !json) throw new Error('usage: vault-process.ts <dataDir> <options JSON>')
const options = JSON.parse(json) as VaultProcessOptions
const running = await startVault(loadConfig(process.env, { port: 0, host: '127.0.0.1', dataDir }), {
  logger: createLogger({ level: 'warn', destination: process.stderr as never }),
  webhooks: options.webhooks,
  jobs: options.jobs,
  background: options.background,
  clock: options.clock ? new ManualClock(options.clock) : undefined,
})
process.stdout.write(JSON.stringify({ ready: true, url: running.url, pid: process.pid }) + '\n')
for await (const line of readline.createInterface({ input: process.stdin })) {
  const [command, name] = line.trim().split(' ')
  if (command === 'run' && name) process.stdout.write(JSON.stringify({ job: name, report: await running.vault.jobs.runOnce(name) }) + '\n')
}
