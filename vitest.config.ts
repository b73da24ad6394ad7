import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and multi-process tests start servers; two workers match the machine's two cores.
    maxWorkers: 2,
  },
})
