import { describe, expect, it } from 'vitest'
import { JobScheduler, type Job } from '../../../backend/jobs/scheduler.js'
import { createLogger } from '../../../backend/logger.js'
import { Writable } from 'node:stream'

const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) as never })

function countingJob(name: string, ms = 0): Job & { runs: number; overlapping: number } {
  let active = 0
  const job = {
    name,
    runs: 0,
    overlapping: 0,
    async run() {
      active++
      if (active > 1) job.overlapping++
      await new Promise((r) => setTimeout(r, ms))
      active--
      job.runs++
      return { ran: 1 }
    },
  }
  return job
}

describe('the job scheduler', () => {
  it('never runs one job twice at the same time in a process', async () => {
    const job = countingJob('slow', 20)
    const scheduler = new JobScheduler(logger).add(job, 60_000)
    await Promise.all([scheduler.runOnce('slow'), scheduler.runOnce('slow'), scheduler.runOnce('slow')])
    expect([job.runs, job.overlapping]).toEqual([3, 0])
    await expect(scheduler.runOnce('nope')).rejects.toThrow(/no job named nope/)
  })

  it('runs jobs on their intervals once started, and not after stop()', async () => {
    const job = countingJob('tick')
    const scheduler = new JobScheduler(logger).add(job, 10)
    scheduler.start()
    // Waits for three runs (bounded), not a fixed time: a busy machine delays timers.
    for (let waited = 0; job.runs < 3 && waited < 5_000; waited += 10) await new Promise((r) => setTimeout(r, 10))
    await scheduler.stop()
    const runs = job.runs
    expect(runs).toBeGreaterThanOrEqual(3)
    await new Promise((r) => setTimeout(r, 50))
    expect(job.runs).toBe(runs)
  })

  it('tries a run that failed because the database was away again soon, not a whole interval later, and logs the wait once', async () => {
    const lines: string[] = []
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) })
    let failures = 3
    let runs = 0
    const job: Job = {
      name: 'sweep',
      async run() {
        runs++
        if (failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
        return { swept: 1 }
      },
    }
    // The first run comes one interval (a second) after start; without the retry the next would come a second later.
    const scheduler = new JobScheduler(createLogger({ level: 'info', destination: sink as never }), { firstWaitMs: 10, maxWaitMs: 40 }).add(job, 1_000)
    scheduler.start()
    await new Promise((r) => setTimeout(r, 1_400))
    await scheduler.stop()
    expect(runs).toBe(4)
    const messages = lines.map((l) => JSON.parse(l).msg)
    expect(messages.filter((m) => m === 'job waiting: the database is unavailable')).toHaveLength(1)
    expect(messages.filter((m) => m === 'job resumed: the database is back')).toHaveLength(1)
    expect(messages).not.toContain('job failed')
  })
})
