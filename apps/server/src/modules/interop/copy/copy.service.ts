// Copy cataloguing: a library's remote SRU targets, searching one, and importing a found record
// into the library through the catalog module's import (so it is matched and clustered like any
// other record), with where it came from kept in an 035 and in the record's provenance.
import {
  type CopyTargetInput,
  type CopyImportResult,
  type CopyRecord,
  type CopySearchResult,
  type CopyTarget,
} from '@athenaeum/contracts';
import { isControlField, type DataField, type MarcRecord } from '@athenaeum/marc';
import type { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { importRecords, normalizeRecord } from '../../catalog/index.js';
import { requireLibrary } from '../harvest/sources.service.js';
import { InteropErrors } from '../interop.errors.js';
import * as repo from '../interop.repository.js';
import { checkRemoteBaseUrl } from '../remote-fetch.js';
import { sruSearch } from './sru-client.js';

type Input = z.output<typeof CopyTargetInput>;

/** Test seams: the fetch used and the remote limits. */
export interface RemoteOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxBytes?: number;
}

function present(row: repo.CopyTargetRow): CopyTarget {
  return {
    id: row.id,
    libraryId: row.organization_id,
    name: row.name,
    baseUrl: row.base_url,
    version: row.sru_version,
    recordSchema: row.record_schema,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const notFound = (id: string) =>
  new AppError(InteropErrors.INTEROP_TARGET_NOT_FOUND, `This library has no copy-cataloguing target with id ${id}.`);
const duplicate = (name: string) =>
  new AppError(InteropErrors.INTEROP_TARGET_EXISTS, `This library already has a target named "${name}".`);

const configOf = (input: Input): repo.TargetConfig => ({
  name: input.name,
  baseUrl: input.baseUrl,
  version: input.version,
});

export async function listCopyTargets(ctx: AppContext, libraryId: string): Promise<CopyTarget[]> {
  await requireLibrary(ctx, libraryId);
  return (await repo.listTargets(repo.interopDb(ctx.db), libraryId)).map(present);
}

export async function createCopyTarget(ctx: AppContext, libraryId: string, input: Input): Promise<CopyTarget> {
  await requireLibrary(ctx, libraryId);
  checkRemoteBaseUrl(input.baseUrl, ctx.config.interop.allowPrivateRemotes);
  const row = await repo.insertTarget(repo.interopDb(ctx.db), libraryId, configOf(input));
  if (!row) throw duplicate(input.name);
  return present(row);
}

export async function updateCopyTarget(
  ctx: AppContext,
  libraryId: string,
  id: string,
  input: Input,
): Promise<CopyTarget> {
  checkRemoteBaseUrl(input.baseUrl, ctx.config.interop.allowPrivateRemotes);
  const row = await repo.updateTarget(repo.interopDb(ctx.db), libraryId, id, configOf(input));
  if (row === 'missing') throw notFound(id);
  if (row === 'duplicate') throw duplicate(input.name);
  return present(row);
}

export async function deleteCopyTarget(ctx: AppContext, libraryId: string, id: string): Promise<void> {
  if (!(await repo.deleteTarget(repo.interopDb(ctx.db), libraryId, id))) throw notFound(id);
}

async function targetOf(ctx: AppContext, libraryId: string, id: string): Promise<repo.CopyTargetRow> {
  const row = await repo.findTarget(repo.interopDb(ctx.db), libraryId, id);
  if (!row) throw notFound(id);
  return row;
}

/** Plain words become a CQL term (quoted); a query that already reads as CQL is sent as it is. */
export function toCql(query: string): string {
  const q = query.trim();
  const looksLikeCql = /^[\w.]+\s*(=|==|<>|any|all|adj|within)\s*\S/i.test(q) || /\b(and|or|not|prox)\b/i.test(q);
  return looksLikeCql ? q : `"${q.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const control = (record: MarcRecord, tag: string) => {
  const f = record.fields.find((x) => x.tag === tag);
  return f && isControlField(f) ? f.value.trim() : null;
};

/** The record as a cataloguer reads it: `LDR …`, `001 …`, `245 10 $aTitle /$cAuthor.` */
function marcLines(record: MarcRecord): string[] {
  return [
    `LDR ${record.leader}`,
    ...record.fields.map((f) =>
      isControlField(f)
        ? `${f.tag} ${f.value}`
        : `${f.tag} ${f.ind1}${f.ind2} ${f.subfields.map((s) => `$${s.code}${s.value}`).join('')}`,
    ),
  ];
}

function summarize(position: number, record: MarcRecord): CopyRecord {
  const fields = normalizeRecord(record, 'marc21');
  return {
    position,
    title: [fields.title, fields.subtitle].filter(Boolean).join(' : ') || '[untitled]',
    authors: fields.authors.map((a) => a.name),
    date: fields.dateText ?? (fields.year !== null ? String(fields.year) : null),
    isbns: fields.isbns,
    publisher: fields.publisher,
    controlNumber: control(record, '001'),
    lines: marcLines(record),
  };
}

/** Searches a target: one page of records, summarized (title, authors, date, ISBN) with their MARC. */
export async function searchCopyTarget(
  ctx: AppContext,
  libraryId: string,
  targetId: string,
  page: { query: string; start: number; pageSize: number },
  remote: RemoteOptions = {},
): Promise<CopySearchResult> {
  const target = await targetOf(ctx, libraryId, targetId);
  const found = await sruSearch({
    baseUrl: target.base_url,
    version: target.sru_version,
    query: toCql(page.query),
    startRecord: page.start,
    maximumRecords: page.pageSize,
    allowPrivateAddresses: ctx.config.interop.allowPrivateRemotes,
    ...remote,
  });
  return {
    total: found.total,
    start: page.start,
    records: found.records.map((r) => summarize(r.position, r.record)),
    diagnostics: found.diagnostics,
  };
}

/**
 * A copied record's identity in this library: the source's own number (001, with its 003 or
 * else the target's name) moves to an 035 system number, and 001 becomes `sru:<host>:<number>`,
 * so copying the same record again updates it instead of adding a second one.
 */
export function withCopyIdentity(record: MarcRecord, target: { name: string; base_url: string }): MarcRecord {
  const f001 = control(record, '001');
  if (!f001) return record;
  const f003 = control(record, '003');
  const rest = record.fields.filter((f) => f.tag !== '001' && f.tag !== '003');
  const system: DataField = {
    tag: '035',
    ind1: ' ',
    ind2: ' ',
    subfields: [{ code: 'a', value: `(${f003 || target.name})${f001}` }],
  };
  const at = rest.findIndex((f) => f.tag > '035');
  return {
    leader: record.leader,
    fields: [
      { tag: '001', value: `sru:${new URL(target.base_url).host}:${f001}` },
      ...(at < 0 ? [...rest, system] : [...rest.slice(0, at), system, ...rest.slice(at)]),
    ],
  };
}

/** Fetches the record at `position` of the query again and imports it into the library. */
export async function importFromCopyTarget(
  ctx: AppContext,
  libraryId: string,
  targetId: string,
  input: { query: string; position: number },
  remote: RemoteOptions = {},
): Promise<CopyImportResult> {
  await requireLibrary(ctx, libraryId);
  const target = await targetOf(ctx, libraryId, targetId);
  const found = await sruSearch({
    baseUrl: target.base_url,
    version: target.sru_version,
    query: toCql(input.query),
    startRecord: input.position,
    maximumRecords: 1,
    allowPrivateAddresses: ctx.config.interop.allowPrivateRemotes,
    ...remote,
  });
  const hit = found.records.find((r) => r.position === input.position) ?? found.records[0];
  if (!hit)
    throw new AppError(
      InteropErrors.INTEROP_REMOTE_RECORD_NOT_FOUND,
      `${target.name} has no MARCXML record at position ${input.position} for this search (${found.total} found).`,
    );
  const record = withCopyIdentity(hit.record, target);
  const counts = await importRecords(ctx, [{ record, position: { index: 0 } }], {
    libraryId,
    flavour: 'marc21',
    sourceFormat: 'marcxml',
    provenance: {
      sru: {
        target: target.name,
        targetId: target.id,
        baseUrl: target.base_url,
        query: input.query,
        position: hit.position,
        remoteId: control(hit.record, '001'),
      },
    },
  });
  if (counts.rejected > 0)
    throw new AppError(
      InteropErrors.INTEROP_REMOTE_BAD_RESPONSE,
      `The record could not be imported: ${counts.rejects.map((r) => r.reason).join('; ')}`,
    );
  const outcome = counts.added ? 'added' : counts.updated ? 'updated' : 'unchanged';
  return { outcome, title: summarize(hit.position, hit.record).title, controlNumber: control(record, '001') ?? '' };
}
