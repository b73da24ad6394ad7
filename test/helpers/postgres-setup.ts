// Vitest global setup for the `postgres` project: one cluster for the run; each test vault
// gets its own database in it (test/helpers/vault.ts).
import type { TestProject } from 'vitest/node'
import { startPostgres } from './postgres-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgres()
  project.provide('pgAdminUrl', server.adminUrl)
  return () => server.stop()
}
