// A second vault process over the same data folder and database, its dispatcher on a short
// lease: the crash test starts it, lets it claim and send, and SIGKILLs it mid-delivery.
// Usage: node --import tsx dispatcher-process.ts <dataDir> '<DispatcherOptions JSON>'
// (DATABASE_URL from the environment).
import { loadConfig } from '../../../../backend/config.js'
import { createLogger } from '../../../../backend/logger.js'
import { startVault } from '../../../../backend/vault.js'

import type { DispatcherOptions } from '../../../../backend/events/dispatcher.js'

const [dataDir, options] = process.argv.slice(2)
if (!dataDir || !options) throw new Error('usage: dispatcher-process.ts <dataDir> <options JSON>')
const running = await startVault(loadConfig(process.env, { port: 0, host: '127.0.0.1', dataDir }), {
  logger: createLogger({ level: 'warn', destination: process.stderr as never }),
  webhooks: JSON.parse(options) as DispatcherOptions,
})
process.stdout.write(JSON.stringify({ ready: true, url: running.url, pid: process.pid }) + '\n')
