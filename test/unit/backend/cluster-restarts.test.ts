// The cluster primary's restart policy: a worker that ran a while is replaced at once; one that
// died at start after a doubling pause; and a run of deaths at start stops the primary.
import { describe, expect, it } from 'vitest'
import { CLUSTER_DEFAULTS, RestartPolicy } from '../../../backend/cluster.js'

describe('RestartPolicy', () => {
  it('replaces a worker that ran past the start window at once', () => {
    const policy = new RestartPolicy()
    expect(policy.exited(CLUSTER_DEFAULTS.minUptimeMs)).toEqual({ restart: true, delayMs: 0, atStart: false })
  })

  it('waits longer after each death at start, and gives up after maxStartDeaths in a row', () => {
    const policy = new RestartPolicy({ maxStartDeaths: 5 })
    expect([1, 2, 3, 4].map(() => policy.exited(100))).toEqual([1000, 2000, 4000, 8000].map((delayMs) => ({ restart: true, delayMs, atStart: true })))
    expect(policy.exited(100)).toEqual({ restart: false, startDeaths: 5 })
  })

  it('starts counting again once a worker outlives the start window', () => {
    const policy = new RestartPolicy({ maxStartDeaths: 3 })
    policy.exited(10)
    policy.exited(10)
    policy.exited(60_000)
    expect(policy.exited(10)).toEqual({ restart: true, delayMs: 1000, atStart: true })
  })

  it('caps the pause', () => {
    const policy = new RestartPolicy({ maxStartDeaths: 100 })
    let last = 0
    for (let i = 0; i < 20; i++) {
      const decision = policy.exited(1)
      if (decision.restart) last = decision.delayMs
    }
    expect(last).toBe(CLUSTER_DEFAULTS.maxRestartDelayMs)
  })
})
