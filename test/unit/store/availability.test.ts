// Which driver errors mean "the database cannot serve now" (503) rather than "this request is
// wrong", and the availability state: one log line per outage, cleared by the right success.
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../backend/logger.js'
import { AVAILABILITY_DEFAULTS, DatabaseAvailability, unavailableFrom } from '../../../backend/store/availability.js'

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code })

describe('unavailableFrom', () => {
  it('recognises a database that is gone, shutting down, starting, overloaded or too slow', () => {
    expect(unavailableFrom(coded('ECONNREFUSED'))).toEqual({ kind: 'connection', code: 'ECONNREFUSED' })
    expect(unavailableFrom(new Error('Connection terminated unexpectedly'))).toEqual({ kind: 'connection', code: 'connection_terminated' })
    expect(unavailableFrom(new Error('timeout exceeded when trying to connect'))).toEqual({ kind: 'connection', code: 'connect_timeout' })
    expect(unavailableFrom(new Error('Query read timeout'))).toEqual({ kind: 'connection', code: 'query_timeout' })
    expect(unavailableFrom(new Error('Client has encountered a connection error and is not queryable'))?.kind).toBe('connection')
    for (const code of ['57P01', '57P02', '57P03', '57014', '08006', '08001', '53300', '55P03']) expect(unavailableFrom(coded(code))).toEqual({ kind: 'connection', code })
    // Node's connect to several addresses fails with an AggregateError carrying the errno.
    expect(unavailableFrom(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]))?.code).toBe('ECONNREFUSED')
    expect(unavailableFrom(new Error('wrapped', { cause: coded('ETIMEDOUT') }))?.code).toBe('ETIMEDOUT')
  })

  it('recognises storage that cannot write: a full disk, a read-only server or file, an I/O error', () => {
    for (const code of ['53100', '25006', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR_WRITE']) expect(unavailableFrom(coded(code))).toEqual({ kind: 'storage', code })
    expect(unavailableFrom(coded('SQLITE_BUSY'))).toEqual({ kind: 'connection', code: 'SQLITE_BUSY' })
  })

  it('leaves errors about the request itself alone', () => {
    for (const error of [coded('23505'), coded('SQLITE_CONSTRAINT_UNIQUE'), coded('22P02'), coded('42P01'), new Error('boom'), null, 'text', undefined]) expect(unavailableFrom(error)).toBeNull()
  })
})

function tracker() {
  const lines: { level: number; msg: string; code?: string }[] = []
  const sink = new Writable({ write: (chunk, _e, done) => (lines.push(...String(chunk).split('\n').filter(Boolean).map((l) => JSON.parse(l))), done()) })
  let now = 1_000_000
  const availability = new DatabaseAvailability('postgres', createLogger({ level: 'info', destination: sink as never }), () => now)
  return { availability, lines, advance: (ms: number) => (now += ms) }
}

describe('DatabaseAvailability', () => {
  it('logs one line per outage, not one per failed request, and one when it is back', () => {
    const { availability, lines, advance } = tracker()
    expect(availability.failed(new Error('boom'))).toBe(false)
    expect(availability.unavailable).toBeNull()
    for (let i = 0; i < 5; i++) expect(availability.failed(coded('ECONNREFUSED'))).toBe(true)
    expect(availability.unavailable).toEqual({ kind: 'connection', code: 'ECONNREFUSED' })
    advance(3_000)
    availability.succeeded(false)
    expect(availability.unavailable).toBeNull()
    expect(lines.map((l) => [l.msg.split(' (')[0], l.code])).toEqual([
      ['database unavailable', 'ECONNREFUSED'],
      ['database available again', 'ECONNREFUSED'],
    ])
    expect(lines[1]).toMatchObject({ unavailable_ms: 3_000 })
  })

  it('clears a storage failure on a commit only, or forgets it after a quiet while', () => {
    const { availability, advance } = tracker()
    availability.failed(coded('SQLITE_FULL'))
    availability.succeeded(false)
    expect(availability.unavailable?.code).toBe('SQLITE_FULL')
    availability.succeeded(true)
    expect(availability.unavailable).toBeNull()
    availability.failed(coded('SQLITE_FULL'))
    advance(AVAILABILITY_DEFAULTS.storageRecheckMs - 1)
    expect(availability.unavailable).not.toBeNull()
    advance(1)
    expect(availability.unavailable).toBeNull()
  })
})
