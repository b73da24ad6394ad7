// Starts the sandbox acquirer on an ephemeral loopback port with its logs captured, and builds
// HTTP acquirer clients and card details for it.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { Writable } from 'node:stream'
import { appendLog, logFile } from './artifacts.js'
import type { CardDetails } from '../../backend/acquirer/client.js'
import { HttpAcquirerClient, type HttpAcquirerClientOptions } from '../../backend/acquirer/http-client.js'
import { CardNumber } from '../../backend/crypto/secret.js'
import { createLogger } from '../../backend/logger.js'
import { startAcquirer, type AcquirerOptions, type RunningAcquirer } from '../../demo/acquirer/server.js'

export interface TestAcquirer {
  running: RunningAcquirer
  url: string
  /** Every log line the acquirer wrote. */
  logs: string[]
  client(options?: HttpAcquirerClientOptions): HttpAcquirerClient
  close(): Promise<void>
}

export function captureLogs(): { logs: string[]; logger: ReturnType<typeof createLogger> } {
  const logs: string[] = []
  const file = logFile('acquirer')
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk))
      appendLog(file, String(chunk))
      done()
    },
  })
  return { logs, logger: createLogger({ level: 'debug', destination }) }
}

export async function startTestAcquirer(options: Omit<AcquirerOptions, 'logger' | 'port' | 'host'> = {}): Promise<TestAcquirer> {
  const { logs, logger } = captureLogs()
  const running = await startAcquirer({ ...options, port: 0, host: '127.0.0.1', logger })
  return {
    running,
    url: running.url,
    logs,
    client: (clientOptions = {}) => new HttpAcquirerClient({ url: running.url, apiKey: options.apiKey, ...clientOptions }),
    close: () => running.close(),
  }
}

/** Card details for the client: expiry three years ahead unless given. */
export function cardDetails(number: string, overrides: Partial<Omit<CardDetails, 'number'>> = {}): CardDetails {
  return { number: CardNumber.of(number), expMonth: 12, expYear: new Date().getUTCFullYear() + 3, ...overrides }
}

const MAIN = path.resolve(import.meta.dirname, '../../demo/acquirer/main.ts')

/** The sandbox acquirer as its own process (demo/acquirer/main.ts through tsx), on a free port. */
export function spawnAcquirer(timeoutMs = 20_000): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0'], {
      env: { ...process.env, TESSERA_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    const file = logFile('acquirer-process')
    child.stdout.on('data', (d: Buffer) => appendLog(file, String(d)))
    child.stderr.on('data', (d: Buffer) => appendLog(file, String(d)))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`acquirer not ready in ${timeoutMs} ms:\n${out}`))
    }, timeoutMs)
    child.stdout.on('data', (d: Buffer) => {
      out += d
      const match = /\{"url":"([^"]+)","port":\d+\}/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1] as string })
      }
    })
    child.stderr.on('data', (d: Buffer) => (out += d))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`acquirer exited with ${code}:\n${out}`))
    })
  })
}
