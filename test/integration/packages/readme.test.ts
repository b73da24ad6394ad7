// The README's examples are the files in examples/, verbatim; the operator's script runs here
// (the TypeScript ones are type-checked and run by pack.test.ts), and every environment
// variable the configuration reads is documented.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ENV_VARIABLES } from '../../../backend/config.js'
import { tempDir } from '../../helpers/artifacts.js'
import { freePort } from '../../helpers/net.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const FENCES: Record<string, string> = { ts: 'ts', tsx: 'tsx', sh: 'sh' }

describe('README.md', () => {
  it.each(readdirSync(path.join(ROOT, 'examples')))('holds examples/%s verbatim in a fenced block', (file) => {
    const source = readFileSync(path.join(ROOT, 'examples', file), 'utf8').trimEnd()
    expect(README).toContain('```' + FENCES[path.extname(file).slice(1)] + '\n' + source + '\n```')
  })

  it('documents every environment variable the vault reads', () => {
    for (const name of Object.keys(ENV_VARIABLES)) expect(README, name).toMatch(new RegExp('`' + name + '`'))
  })

  it("runs the operator's example: a bad variable refused on one line, then the vault, its OpenAPI document and /docs", async () => {
    const port = await freePort()
    const child = spawn('bash', [path.join(ROOT, 'examples/operator.sh')], { cwd: ROOT, env: { ...process.env, PORT: String(port), TESSERA_DATA_DIR: tempDir() }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    clearTimeout(timer)
    expect(code, stderr).toBe(0)
    expect(stderr).toContain('tessera: TESSERA_ACQUIRER_TIMEOUT_MS is invalid: expected milliseconds')
    const lines = stdout.split('\n').filter((l) => !l.startsWith('{'))
    expect(lines).toEqual(expect.arrayContaining(['refused to start (exit 1)', 'OpenAPI document: 200', 'API reference: 200']))
    // The script's trap stopped the vault it started: the port is free again.
    await expect(fetch(`http://127.0.0.1:${port}/v1/jwks`)).rejects.toThrow()
  }, 90_000)
})
