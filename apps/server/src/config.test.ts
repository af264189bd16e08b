import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      env: 'production',
      port: 8080,
      host: '0.0.0.0',
      publicUrl: undefined,
      database: { kind: 'embedded', dataDir: path.resolve('./data') },
      poolSize: 10,
      smtpUrl: undefined,
      mailFrom: 'Athenaeum <no-reply@athenaeum.local>',
      mailRetentionDays: 30,
      logLevel: 'info',
      seedDemo: true,
      jobsEnabled: true,
      bodyLimit: 1_048_576,
      shutdownTimeoutMs: 10_000,
      catalogImports: { dir: path.resolve('./data/imports'), maxBytes: 268_435_456, perHour: 30 },
      interop: { allowPrivateRemotes: false },
      trustProxy: false,
      testClock: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [undefined, false],
    ['true', true],
    ['1', 1],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
  ])('reads TRUST_PROXY=%s as %s (X-Forwarded-* is ignored unless set)', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('treats empty strings as unset, so `PORT=` in a .env file keeps the default', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', SMTP_URL: '' });
    expect(config.port).toBe(8080);
    expect(config.database.kind).toBe('embedded');
    expect(config.smtpUrl).toBeUndefined();
  });

  it('parses every setting it is given', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      PORT: '9090',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://library.example.org',
      DATABASE_POOL_SIZE: '25',
      SMTP_URL: 'smtps://user:pass@mail.example.org:465',
      MAIL_FROM: 'Library <lib@example.org>',
      MAIL_RETENTION_DAYS: '7',
      LOG_LEVEL: 'debug',
      SEED_DEMO: 'no',
      JOBS_ENABLED: '0',
      BODY_LIMIT_BYTES: '4096',
      SHUTDOWN_TIMEOUT_MS: '500',
    });
    expect(config).toMatchObject({
      env: 'development',
      port: 9090,
      host: '127.0.0.1',
      publicUrl: 'https://library.example.org',
      poolSize: 25,
      smtpUrl: 'smtps://user:pass@mail.example.org:465',
      mailFrom: 'Library <lib@example.org>',
      mailRetentionDays: 7,
      logLevel: 'debug',
      seedDemo: false,
      jobsEnabled: false,
      bodyLimit: 4096,
      shutdownTimeoutMs: 500,
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads the boolean %s as %s', (text, value) => {
    expect(loadConfig({ SEED_DEMO: text }).seedDemo).toBe(value);
    expect(loadConfig({ JOBS_ENABLED: text }).jobsEnabled).toBe(value);
    expect(loadConfig({ INTEROP_ALLOW_PRIVATE_REMOTES: text }).interop.allowPrivateRemotes).toBe(value);
  });

  describe('database selection', () => {
    it('uses the embedded database under ATHENAEUM_DATA_DIR when DATABASE_URL is unset', () => {
      expect(loadConfig({ ATHENAEUM_DATA_DIR: '/var/lib/athenaeum' }).database).toEqual({
        kind: 'embedded',
        dataDir: '/var/lib/athenaeum',
      });
    });

    it('resolves a relative data directory to an absolute path', () => {
      const { database } = loadConfig({ ATHENAEUM_DATA_DIR: 'some/where' });
      expect(database).toEqual({ kind: 'embedded', dataDir: path.resolve('some/where') });
      expect(path.isAbsolute((database as { dataDir: string }).dataDir)).toBe(true);
    });

    it.each(['postgres://u:p@db.example.org:5432/athenaeum', 'postgresql://localhost/athenaeum'])(
      'uses the PostgreSQL server at %s when DATABASE_URL is set (even with a data dir set)',
      (url) => {
        expect(loadConfig({ DATABASE_URL: url, ATHENAEUM_DATA_DIR: '/ignored' }).database).toEqual({
          kind: 'postgres',
          url,
        });
      },
    );
  });

  describe('invalid settings', () => {
    it('lists every problem at once, each naming its setting', () => {
      const problems = problemsOf({ PORT: 'abc', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://x' });
      expect(problems).toHaveLength(3);
      expect(problems.find((p) => p.startsWith('PORT:'))).toBeDefined();
      expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toMatch(/postgres:\/\/ or postgresql:\/\//);
      expect(problems.find((p) => p.startsWith('SMTP_URL:'))).toMatch(/smtp:\/\/ or smtps:\/\//);
    });

    it('puts all problems into the error message a person reads at start', () => {
      try {
        loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe', PUBLIC_URL: 'not a url' });
        expect.unreachable('loadConfig should have thrown');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        const { problems, message } = error as ConfigError;
        expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'PUBLIC_URL', 'SEED_DEMO']);
        for (const problem of problems) expect(message).toContain(problem);
        expect(message).toMatch(/^Invalid configuration:/);
      }
    });

    it.each([
      ['PORT', '-1'],
      ['PORT', '65536'],
      ['PORT', '80.5'],
      ['DATABASE_POOL_SIZE', '0'],
      ['DATABASE_POOL_SIZE', '201'],
      ['BODY_LIMIT_BYTES', '1023'],
      ['SHUTDOWN_TIMEOUT_MS', '-5'],
      ['NODE_ENV', 'staging'],
      ['MAIL_FROM', 'x'],
      ['MAIL_RETENTION_DAYS', '0'],
      ['MAIL_RETENTION_DAYS', '1.5'],
      ['JOBS_ENABLED', 'on'],
      ['CATALOG_IMPORT_MAX_BYTES', '10'],
      ['CATALOG_IMPORTS_PER_HOUR', '0'],
    ])('refuses %s=%s', (key, value) => {
      const problems = problemsOf({ [key]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${key}: `));
    });

    it('ignores settings it does not know (the whole process environment is passed in)', () => {
      expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root', SOMETHING_ELSE: 'x' })).not.toThrow();
    });
  });

  describe('catalogue uploads', () => {
    it('keep their files under the data directory unless told otherwise', () => {
      expect(loadConfig({ ATHENAEUM_DATA_DIR: '/var/lib/athenaeum' }).catalogImports.dir).toBe(
        '/var/lib/athenaeum/imports',
      );
      expect(
        loadConfig({ DATABASE_URL: 'postgres://db/athenaeum', CATALOG_IMPORT_DIR: 'uploads' }).catalogImports,
      ).toEqual({
        dir: path.resolve('uploads'),
        maxBytes: 268_435_456,
        perHour: 30,
      });
      expect(
        loadConfig({ CATALOG_IMPORT_MAX_BYTES: '2048', CATALOG_IMPORTS_PER_HOUR: '5' }).catalogImports,
      ).toMatchObject({
        maxBytes: 2048,
        perHour: 5,
      });
    });
  });
});
