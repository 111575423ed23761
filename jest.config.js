/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: {
    '^rxjs-socket$': '<rootDir>/lib/index.ts',
    '^rxjs-socket/testing$': '<rootDir>/lib/testing/index.ts',
    '^rxjs-socket/websocket$': '<rootDir>/lib/websocket/index.ts',
    '^rxjs-socket/nats$': '<rootDir>/lib/nats/index.ts',
    '^rxjs-socket/browser$': '<rootDir>/lib/browser/index.ts',
  },
  testTimeout: 20000,
  // CI sets CI=true: fail on handles a test leaves open instead of hanging.
  detectOpenHandles: process.env.CI === 'true',
};
