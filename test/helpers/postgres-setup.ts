// Vitest global setup for the `postgres` project: one cluster for the run; each test vault
// gets its own database in it (test/helpers/vault.ts).
import type { TestProject } from 'vitest/node'
import { dumpDatabases, startPostgres } from './postgres-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgres()
  project.provide('pgAdminUrl', server.adminUrl)
  return async () => {
    // The secret scan after the suite reads these dumps: PostgreSQL's own files go with the cluster.
    if (process.env.TESSERA_TEST_ROOT) await dumpDatabases(server, process.env.TESSERA_TEST_ROOT)
    await server.stop()
  }
}
