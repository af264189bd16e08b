import { z } from 'zod';

/** An http(s) URL of a remote server, without credentials or a fragment. */
export const RemoteUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.hash;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// address without a user name, password or #fragment');

export const HarvestPrefix = z.enum(['marc21', 'oai_dc']);
export type HarvestPrefix = z.infer<typeof HarvestPrefix>;

/** When a source is harvested: only on demand, every N hours, or every day at HH:MM (UTC). */
export const HarvestSchedule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manual') }),
  z.strictObject({ kind: z.literal('interval'), hours: z.number().int().min(1).max(744) }),
  z.strictObject({
    kind: z.literal('daily'),
    at: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time of day as HH:MM (UTC), e.g. 02:30'),
  }),
]);
export type HarvestSchedule = z.infer<typeof HarvestSchedule>;

export const HarvestSourceInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  baseUrl: RemoteUrl,
  metadataPrefix: HarvestPrefix,
  set: z
    .string()
    .trim()
    .max(200)
    .regex(/^[A-Za-z0-9\-_.!~*'():]*$/, "must be an OAI-PMH setSpec (letters, digits and -_.!~*'():)")
    .default(''),
  schedule: HarvestSchedule,
  enabled: z.boolean().default(true),
});
export type HarvestSourceInput = z.input<typeof HarvestSourceInput>;

export const HarvestSourceStatus = z.enum(['idle', 'queued', 'running', 'failed']);
export type HarvestSourceStatus = z.infer<typeof HarvestSourceStatus>;

/** A library's harvest source with its schedule and the state of its runs. */
export const HarvestSource = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  name: z.string(),
  baseUrl: z.string(),
  metadataPrefix: HarvestPrefix,
  set: z.string(),
  schedule: HarvestSchedule,
  enabled: z.boolean(),
  status: HarvestSourceStatus,
  nextRunAt: z.string().nullable(),
  lastRunStartedAt: z.string().nullable(),
  lastRunFinishedAt: z.string().nullable(),
  /** The last successful harvest's end. */
  lastHarvestAt: z.string().nullable(),
  /** The greatest datestamp harvested: the next harvest asks for records from there. */
  lastDatestamp: z.string().nullable(),
  /** The current (while running) or last run's counts. */
  lastRun: z.object({
    records: z.number().int(),
    added: z.number().int(),
    updated: z.number().int(),
    deleted: z.number().int(),
  }),
  /** All runs together. */
  totals: z.object({ harvested: z.number().int(), deleted: z.number().int() }),
  lastError: z.string().nullable(),
  /** The last error's code (e.g. INTEROP_REMOTE_TIMEOUT; INTEROP_HARVEST_FAILED when the failure has no code of its own); null with no error. */
  lastErrorCode: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  createdAt: z.string(),
});
export type HarvestSource = z.infer<typeof HarvestSource>;

export const SruVersion = z.enum(['1.2', '2.0']);
export type SruVersion = z.infer<typeof SruVersion>;

export const CopyTargetInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  baseUrl: RemoteUrl,
  version: SruVersion.default('1.2'),
  recordSchema: z.literal('marcxml').default('marcxml'),
});
export type CopyTargetInput = z.input<typeof CopyTargetInput>;

/** A remote SRU server a library copies records from. */
export const CopyTarget = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  name: z.string(),
  baseUrl: z.string(),
  version: SruVersion,
  recordSchema: z.literal('marcxml'),
  createdAt: z.string(),
});
export type CopyTarget = z.infer<typeof CopyTarget>;

export const CopySearchQuery = z.strictObject({
  /** CQL, or plain words (sent as a CQL term). */
  query: z.string().trim().min(1).max(500),
  start: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(10),
});
export type CopySearchQuery = z.infer<typeof CopySearchQuery>;

/** One record found at a remote target, summarized, with its MARC for viewing. */
export const CopyRecord = z.object({
  position: z.number().int(),
  title: z.string(),
  authors: z.array(z.string()),
  date: z.string().nullable(),
  isbns: z.array(z.string()),
  publisher: z.string().nullable(),
  controlNumber: z.string().nullable(),
  /** The record as MARC lines ("245 10 $a…"), for a person to read. */
  lines: z.array(z.string()),
});
export type CopyRecord = z.infer<typeof CopyRecord>;

export const CopySearchResult = z.object({
  total: z.number().int(),
  start: z.number().int(),
  records: z.array(CopyRecord),
  /** Non-fatal SRU diagnostics (e.g. a record that could not be given in the schema). */
  diagnostics: z.array(z.object({ uri: z.string(), message: z.string(), details: z.string().nullable() })),
});
export type CopySearchResult = z.infer<typeof CopySearchResult>;

export const CopyImportInput = z.strictObject({
  query: z.string().trim().min(1).max(500),
  position: z.number().int().min(1).max(100_000),
});
export type CopyImportInput = z.infer<typeof CopyImportInput>;

export const CopyImportResult = z.object({
  outcome: z.enum(['added', 'updated', 'unchanged']),
  title: z.string(),
  /** The control number the record is kept under in the library (its 001). */
  controlNumber: z.string(),
});
export type CopyImportResult = z.infer<typeof CopyImportResult>;

/** Where this deployment's OAI-PMH provider is, and how its record identifiers begin. */
export const OaiRepositoryInfo = z.object({
  endpoint: z.string(),
  /** `oai:<repository>:`; a record's identifier is this followed by the record's id. */
  identifierPrefix: z.string(),
});
export type OaiRepositoryInfo = z.infer<typeof OaiRepositoryInfo>;
