// The management API's presenters match the schemas the OpenAPI document publishes for them.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { makeKeyRow } from '../../../backend/projects/api-keys.js'
import { presentKey, presentNewKey, presentProject } from '../../../backend/projects/present.js'
import { ApiKeyObject, NewApiKeyObject, ProjectObject } from '../../../backend/http/project-objects.js'

describe('management presenters', () => {
  it('a project, a listed key and a new key fit their published schemas; only the new key has a secret', () => {
    const project = presentProject({ id: 'proj_x', name: 'Shop', displayName: null, allowedOrigins: ['https://a.example'], verification: 'basic', tokenFormat: 'random', tokenManagement: 'unique-token', onDuplicate: 'return', webhookUrl: null, createdAt: '2026-01-01T00:00:00.000Z' })
    expect(v.is(ProjectObject, project)).toBe(true)
    const { row, secret } = makeKeyRow({ projectId: 'proj_x', kind: 'restricted', mode: 'live', createdAt: '2026-01-01T00:00:00.000Z', permissions: ['tokens:read', 'tokens:read'] })
    const listed = presentKey(row)
    expect(v.is(ApiKeyObject, listed)).toBe(true)
    expect(listed.permissions).toEqual(['tokens:read'])
    expect(JSON.stringify(listed)).not.toContain(secret)
    expect(JSON.stringify(listed)).not.toContain(row.key_hash)
    const made = presentNewKey(row, secret)
    expect(v.is(NewApiKeyObject, made)).toBe(true)
    expect(made.secret).toMatch(/^rk_live_[0-9A-Za-z]{32}$/)
  })
})
