// Runs the sandbox acquirer alone: `npx tsx demo/acquirer/main.ts [--port 8790] [--host 127.0.0.1]`.
// The API key comes from TESSERA_ACQUIRER_KEY (default: the development key), the log level from
// TESSERA_LOG_LEVEL (default info). Prints one JSON line `{"url": ..., "port": ...}` on stdout
// when listening, so a parent process can find it.
import { parseArgs } from 'node:util'
import { startAcquirer } from './server.js'

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } })
const port = values.port === undefined ? undefined : Number(values.port)
if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
  process.stderr.write('--port must be a port number\n')
  process.exit(2)
}
const running = await startAcquirer({ port, host: values.host, apiKey: process.env.TESSERA_ACQUIRER_KEY || undefined, logLevel: process.env.TESSERA_LOG_LEVEL || undefined })
process.stdout.write(JSON.stringify({ url: running.url, port: running.port }) + '\n')
const stop = async () => {
  await running.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
