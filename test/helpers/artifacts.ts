// Where tests leave what their servers wrote. `npm test` (scripts/test.ts) sets
// TESSERA_TEST_ROOT; every temporary data folder and every captured log goes under it, and
// after the suite the secret scanner reads all of it.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const RUN_ROOT = process.env.TESSERA_TEST_ROOT
const base = () => RUN_ROOT ?? os.tmpdir()

export function tempDir(prefix = 'tessera-test-'): string {
  fs.mkdirSync(base(), { recursive: true })
  return fs.mkdtempSync(path.join(base(), prefix))
}

/** A log file under the run root for one server's output, or null outside `npm test`. */
export function logFile(name: string): string | null {
  if (!RUN_ROOT) return null
  const dir = path.join(RUN_ROOT, 'logs')
  fs.mkdirSync(dir, { recursive: true })
  return path.join(dir, `${name}-${process.pid}-${crypto.randomBytes(4).toString('hex')}.log`)
}

/** Appends to a run log; a no-op outside `npm test`. */
export function appendLog(file: string | null, text: string): void {
  if (file) fs.appendFileSync(file, text.endsWith('\n') ? text : text + '\n')
}
