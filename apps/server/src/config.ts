import path from 'node:path';
import { z } from 'zod';

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  ATHENAEUM_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Athenaeum <no-reply@athenaeum.local>'),
  // Days a delivered, outbox or failed e-mail is kept before it is deleted (queued mail is kept).
  MAIL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: booleanish.default(true),
  JOBS_ENABLED: booleanish.default(true),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  CATALOG_IMPORT_DIR: z.string().min(1).optional(),
  CATALOG_IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).default(268_435_456),
  CATALOG_IMPORTS_PER_HOUR: z.coerce.number().int().min(1).default(30),
  // Behind a reverse proxy: 'true', a hop count, or the proxies' addresses; unset: X-Forwarded-* is ignored.
  TRUST_PROXY: z.string().min(1).optional(),
  // OAI-PMH harvest sources and SRU copy-cataloguing targets may be at internal addresses
  // (loopback, private networks, link-local …); off: such addresses are refused.
  INTEROP_ALLOW_PRIVATE_REMOTES: booleanish.default(false),
  // Test servers only: a clock the browser journeys move forward (POST /api/v1/testing/clock).
  TEST_CLOCK: booleanish.default(false),
});

/** The parsed, typed configuration; read once at start. */
export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string | undefined;
  database: { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string };
  poolSize: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Delivered, outbox and failed e-mails are deleted this many days after delivery (privacy). */
  mailRetentionDays: number;
  logLevel: string;
  seedDemo: boolean;
  jobsEnabled: boolean;
  bodyLimit: number;
  shutdownTimeoutMs: number;
  /** Uploads for catalogue import: where files wait for their job, the size cap, uploads per library per hour. */
  catalogImports: { dir: string; maxBytes: number; perHour: number };
  /** Whether harvests and copy cataloguing may fetch from internal addresses (off: refused, against SSRF). */
  interop: { allowPrivateRemotes: boolean };
  /** Fastify's trustProxy: false (the default), true, a hop count, or trusted proxy addresses/CIDRs. */
  trustProxy: boolean | number | string;
  /** A movable clock for browser journeys; refused with NODE_ENV=production. */
  testClock: boolean;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Parses the environment, listing every problem at once. The only reader of process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const c = result.data;
  if (c.TEST_CLOCK && c.NODE_ENV === 'production') {
    throw new ConfigError([
      'TEST_CLOCK: a movable clock is for test servers; it cannot be set with NODE_ENV=production',
    ]);
  }
  return Object.freeze({
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL,
    database: c.DATABASE_URL
      ? { kind: 'postgres', url: c.DATABASE_URL }
      : { kind: 'embedded', dataDir: path.resolve(c.ATHENAEUM_DATA_DIR) },
    poolSize: c.DATABASE_POOL_SIZE,
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    mailRetentionDays: c.MAIL_RETENTION_DAYS,
    logLevel: c.LOG_LEVEL,
    seedDemo: c.SEED_DEMO,
    jobsEnabled: c.JOBS_ENABLED,
    bodyLimit: c.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    catalogImports: {
      dir: path.resolve(c.CATALOG_IMPORT_DIR ?? path.join(c.ATHENAEUM_DATA_DIR, 'imports')),
      maxBytes: c.CATALOG_IMPORT_MAX_BYTES,
      perHour: c.CATALOG_IMPORTS_PER_HOUR,
    },
    interop: { allowPrivateRemotes: c.INTEROP_ALLOW_PRIVATE_REMOTES },
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
    testClock: c.TEST_CLOCK,
  } satisfies Config);
}
