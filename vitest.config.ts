import { defineConfig } from 'vitest/config'

// Integration suites that exercise the store run twice: on SQLite and on a real PostgreSQL 15
// (started by the postgres project's global setup). Files named *.sqlite.test.ts look at
// SQLite's own files and run on SQLite only.
const STORE_SUITES = ['test/integration/vault/**/*.test.ts', 'test/integration/events/**/*.test.ts', 'test/integration/payments/**/*.test.ts']

// Measurements reported by time (the card field's time to ready): a project of their own, which
// `npm test` runs after the others, alone on the machine's two cores (scripts/test.ts).
const TIMING_SUITES = ['test/browser/ready-time.test.ts']

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and multi-process tests start servers; two workers match the machine's two cores.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: TIMING_SUITES } },
      { extends: true, test: { name: 'timing', include: TIMING_SUITES } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: STORE_SUITES,
          exclude: ['**/*.sqlite.test.ts'],
          globalSetup: ['test/helpers/postgres-setup.ts'],
          env: { TESSERA_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
})
