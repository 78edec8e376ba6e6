import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // PostgreSQL for the store and server tests when DATABASE_URL is not set (test/setup/postgres.ts).
    globalSetup: ['test/setup/postgres.ts'],
  },
});
