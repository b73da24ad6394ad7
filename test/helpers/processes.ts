// Runs the `tessera` command as a real child process.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { appendLog, logFile } from './artifacts.js'

/** Every byte a child prints also goes to a run log, for the secret scan after the suite. */
function recordOutput(child: ChildProcess, name: string): void {
  const file = logFile(name)
  child.stdout?.on('data', (d: Buffer) => appendLog(file, String(d)))
  child.stderr?.on('data', (d: Buffer) => appendLog(file, String(d)))
}

export const BIN = path.resolve(import.meta.dirname, '../../bin/tessera.js')

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

export function runTessera(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    recordOutput(child, `tessera-${args[0]}`)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** Starts a long-running command and resolves once a stdout line matches `ready`. */
export function startTessera(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    recordOutput(child, `tessera-${args[0]}`)
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`not ready in ${timeoutMs} ms:\n${out}`))
    }, timeoutMs)
    const onData = (d: Buffer) => {
      out += d
      const match = out.match(ready)
      if (match) {
        clearTimeout(timer)
        resolve({ child, match, output: () => out })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (d: Buffer) => (out += d))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before ready:\n${out}`))
    })
  })
}

export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode)
    child.removeAllListeners('exit')
    child.once('exit', (code) => resolve(code))
    child.kill(signal)
  })
}
