import 'reflect-metadata';
// Runs in every test worker before the tests: quiet logs unless a developer asks for them.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
