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

  // `tessera start` checks the environment with the same schema before it starts any process
  // (it used to read PORT and TESSERA_LOG_LEVEL by hand): the flags win, the variable is still checked.
  it.each([
    ['PORT', 'abc', 'PORT is invalid: expected a port number 0-65535'],
    ['TESSERA_LOG_LEVEL', 'verbose', 'TESSERA_LOG_LEVEL is invalid: expected fatal, error, warn, info, debug, trace, silent'],
  ])('stops `tessera start` at once on %s, exit 1, one line naming it, nothing started', async (name, value, expected) => {
    const result = await runTessera(['start', '--port', '0', '--acquirer-port', '0', '--shop-port', '0', '--data', tempDir()], { [name]: value })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual([`tessera: ${expected}`])
  })
})
