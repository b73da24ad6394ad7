import { describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/artifacts.js'
import { runTessera } from '../../helpers/processes.js'

describe('the CLI with a bad environment', () => {
  it.each([
    ['TESSERA_RATE_LIMITS', '{"tokenize": ', 'TESSERA_RATE_LIMITS is invalid: expected JSON like'],
    ['TESSERA_ACQUIRER_TIMEOUT_MS', 'soon', 'TESSERA_ACQUIRER_TIMEOUT_MS is invalid: expected milliseconds'],
  ])('stops `tessera serve` at once on %s, exit 1, one line naming it', async (name, value, expected) => {
    const result = await runTessera(['serve', '--port', '0', '--data', tempDir()], { [name]: value })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(`tessera: ${expected}`)])
  })
})
