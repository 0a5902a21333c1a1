/**
 * One jest run covers the unit tests and the integration suite on PGlite, and on PostgreSQL
 * as well when TEST_DATABASE_URL is set (see tests/helpers/drivers.ts).
 * PGlite's CommonJS build uses dynamic import(): package.json runs jest with
 * --experimental-vm-modules.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/tests/helpers/setup-env.ts'],
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  // Each PGlite instance takes hundreds of MB; two workers fit the 2-core machine.
  maxWorkers: 2,
  testTimeout: 60_000,
  verbose: false,
};
