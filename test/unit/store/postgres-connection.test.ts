// DATABASE_URL's TLS parameters become pg's `ssl` options with libpq's meanings, and leave the
// URL (pg would otherwise read them its own way). No server is contacted.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { postgresConnection } from '../../../backend/store/dialects/postgres.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-tls-'))
const caFile = path.join(dir, 'root.crt')
fs.writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n')
const base = 'postgres://vault:pw@db.internal:5432/tessera'

describe('postgresConnection', () => {
  it('leaves TLS to pg (and PGSSLMODE) when the URL names no sslmode', () => {
    expect(postgresConnection(`${base}?application_name=vault`)).toEqual({ connectionString: `${base}?application_name=vault`, ssl: undefined })
  })

  it('turns TLS off for sslmode=disable', () => {
    expect(postgresConnection(`${base}?sslmode=disable`)).toEqual({ connectionString: base, ssl: false })
  })

  it('encrypts without verifying for sslmode=require, as libpq does', () => {
    expect(postgresConnection(`${base}?sslmode=require`)).toEqual({ connectionString: base, ssl: { rejectUnauthorized: false } })
  })

  it('verifies the chain against sslrootcert for sslmode=require with a CA file (libpq: then like verify-ca)', () => {
    const { ssl } = postgresConnection(`${base}?sslmode=require&sslrootcert=${encodeURIComponent(caFile)}`)
    expect(ssl).toMatchObject({ rejectUnauthorized: true, ca: fs.readFileSync(caFile, 'utf8') })
    expect((ssl as { checkServerIdentity: () => unknown }).checkServerIdentity()).toBeUndefined()
  })

  it('verifies the chain but not the host name for sslmode=verify-ca', () => {
    const { ssl } = postgresConnection(`${base}?sslmode=verify-ca&sslrootcert=${caFile}`)
    expect(ssl).toMatchObject({ rejectUnauthorized: true, ca: fs.readFileSync(caFile, 'utf8') })
    expect((ssl as { checkServerIdentity: () => unknown }).checkServerIdentity()).toBeUndefined()
  })

  it('verifies the chain and the host name for sslmode=verify-full with a CA file, and keeps other parameters', () => {
    const { connectionString, ssl } = postgresConnection(`${base}?sslmode=verify-full&sslrootcert=${caFile}&application_name=vault`)
    expect(connectionString).toBe(`${base}?application_name=vault`)
    expect(ssl).toEqual({ rejectUnauthorized: true, ca: fs.readFileSync(caFile, 'utf8') })
  })

  it('verifies against the system CAs for sslmode=verify-full without a CA file', () => {
    expect(postgresConnection(`${base}?sslmode=verify-full`).ssl).toEqual({ rejectUnauthorized: true })
  })

  it('reads a client certificate and key', () => {
    const files: Record<string, string> = { '/c.crt': 'CERT', '/c.key': 'KEY' }
    const { ssl } = postgresConnection(`${base}?sslmode=verify-full&sslcert=/c.crt&sslkey=/c.key`, (f) => files[f] as string)
    expect(ssl).toEqual({ rejectUnauthorized: true, cert: 'CERT', key: 'KEY' })
  })

  it('refuses sslmode values that would fall back to plain text, and unknown ones', () => {
    for (const mode of ['prefer', 'allow', 'verify']) expect(() => postgresConnection(`${base}?sslmode=${mode}`)).toThrow(`sslmode=${mode} is not supported`)
  })

  it('fails at start when the CA file is missing', () => {
    expect(() => postgresConnection(`${base}?sslmode=verify-full&sslrootcert=${path.join(dir, 'missing.crt')}`)).toThrow(/ENOENT/)
  })
})
