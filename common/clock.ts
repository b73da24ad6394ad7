// Time is injected: domain code asks a Clock, never Date.now(), so jobs and freshness checks
// can be driven by tests. Shared by the vault (backend/clock.ts) and the sandbox acquirer.

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private current: number
  constructor(start: Date | string | number = Date.now()) {
    this.current = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.current)
  }
  set(to: Date | string | number): void {
    this.current = new Date(to).getTime()
  }
  advance(ms: number): void {
    this.current += ms
  }
}

export const iso = (d: Date): string => d.toISOString()

/** Adds whole calendar months in UTC, clamping the day to the target month's length. */
export function addMonths(d: Date, months: number): Date {
  const r = new Date(d.getTime())
  const day = r.getUTCDate()
  r.setUTCDate(1)
  r.setUTCMonth(r.getUTCMonth() + months)
  const last = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate()
  r.setUTCDate(Math.min(day, last))
  return r
}

/** The first instant after a card's expiry month: a card is usable through its whole month. */
export function cardExpiresAt(expMonth: number, expYear: number): Date {
  return new Date(Date.UTC(expYear, expMonth, 1))
}
