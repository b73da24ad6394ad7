import { describe, expect, it } from 'vitest'
import { nextAttemptAt, RETRY_POLICY, retryDelayMs } from '../../../backend/events/retry-policy.js'

const HOUR = 3600_000
const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms)

describe('the webhook retry schedule', () => {
  it('doubles from 30 s up to 12 h, each wait 50-100% of its nominal value', () => {
    const nominal = [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 30720, 43200, 43200].map((s) => s * 1000)
    nominal.forEach((n, i) => {
      expect(retryDelayMs(i + 1, () => 0)).toBe(n)
      expect(retryDelayMs(i + 1, () => 0.999999)).toBe(Math.round(n * (1 - 0.5 * 0.999999)))
    })
  })

  it('tries for three days, with the last attempt on the window’s end, then gives up', () => {
    const until = at(RETRY_POLICY.deliverForMs)
    for (const random of [() => 0, () => 0.5, () => 0.999]) {
      let now = at(0)
      const attempts = [0]
      for (let failed = 1; ; failed++) {
        const next = nextAttemptAt(now, failed, until, random)
        if (!next) break
        now = next
        attempts.push(now.getTime() - at(0).getTime())
      }
      expect(attempts.at(-1)).toBe(72 * HOUR)
      expect(attempts.length).toBeGreaterThanOrEqual(17)
      expect(attempts.length).toBeLessThanOrEqual(23)
    }
    expect(nextAttemptAt(until, 30, until, () => 0)).toBeNull()
  })
})
