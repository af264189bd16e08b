// The SRU server (1.2 and 2.0): explain, searchRetrieve and scan over the union catalogue, CQL
// queries through the catalog module. Every problem is answered as an SRU diagnostic.
import { CqlDiagnostic, parseCql, prefixMap, type CqlSearchClause } from '@athenaeum/cql';
import type { AppContext } from '../../../platform/context/context.js';
import {
  dublinCore,
  marc21SlimElement,
  publicMarc,
  scanCqlIndex,
  searchRecordsByCql,
  type CqlHit,
  type DublinCore,
} from '../../catalog/index.js';
import { xmlElement } from '../../../platform/xml.js';
import { diagnostic, fail, SruFailure, type SruDiagnostic } from './diagnostics.js';
import { RECORD_SCHEMAS, zeerexRecord, ZEEREX_NAMESPACE } from './explain.js';
import { SruWriter, type SruVersion } from './xml.js';

export interface SruOptions {
  host: string;
  port: number;
  /** The path clients use (`sru`), as explain's database. */
  database: string;
  /** This deployment's address, for record links in Dublin Core. */
  siteUrl: string;
  defaultRecords: number;
  maximumRecords: number;
  maximumTerms: number;
}

type Operation = 'explain' | 'searchRetrieve' | 'scan';

// Parameters each operation takes, by version; `x-…` extension parameters are always allowed.
const COMMON = ['version', 'operation', 'stylesheet', 'extraRequestData', 'recordPacking'];
const PARAMETERS: Record<SruVersion, Record<Operation, string[]>> = {
  '1.2': {
    explain: COMMON,
    searchRetrieve: [
      ...COMMON,
      'query',
      'startRecord',
      'maximumRecords',
      'recordSchema',
      'recordXPath',
      'resultSetTTL',
      'sortKeys',
    ],
    scan: [...COMMON, 'scanClause', 'responsePosition', 'maximumTerms'],
  },
  '2.0': {
    explain: [...COMMON, 'recordXMLEscaping', 'httpAccept'],
    searchRetrieve: [
      ...COMMON,
      'queryType',
      'query',
      'startRecord',
      'maximumRecords',
      'recordSchema',
      'recordXMLEscaping',
      'resultSetTTL',
      'sortKeys',
      'renderedBy',
      'httpAccept',
      'responseType',
    ],
    scan: [...COMMON, 'scanClause', 'responsePosition', 'maximumTerms', 'httpAccept'],
  },
};

const SRW_DC_NAMESPACE = 'info:srw/schema/1/dc-schema';

function srwDc(dc: DublinCore): string {
  let out = `<srw_dc:dc xmlns:srw_dc="${SRW_DC_NAMESPACE}" xmlns:dc="http://purl.org/dc/elements/1.1/">\n`;
  for (const [element, values] of Object.entries(dc))
    for (const v of values) out += `  ${xmlElement(`dc:${element}`, v)}\n`;
  return `${out}</srw_dc:dc>\n`;
}

/** Which version answers: the one asked for, else 1.2 when the 1.x `operation` parameter is there, else 2.0. */
function versionOf(params: URLSearchParams): { version: SruVersion; problem: SruDiagnostic | null } {
  const asked = params.getAll('version');
  if (asked.length === 0) return { version: params.has('operation') ? '1.2' : '2.0', problem: null };
  if (asked.length > 1) return { version: '2.0', problem: diagnostic(8, 'the version parameter is repeated') };
  if (asked[0] === '1.2' || asked[0] === '2.0') return { version: asked[0], problem: null };
  return {
    version: asked[0]!.startsWith('1') ? '1.2' : '2.0',
    problem: diagnostic(5, `version ${asked[0]} is not supported; this server speaks 1.2 and 2.0`),
  };
}

/** The operation asked for, else the one its parameters imply; null when `operation` names none. */
function operationAsked(params: URLSearchParams): Operation | null {
  const op = params.get('operation');
  if (op === null) return params.has('query') ? 'searchRetrieve' : params.has('scanClause') ? 'scan' : 'explain';
  return op === 'explain' || op === 'searchRetrieve' || op === 'scan' ? op : null;
}

function operationOf(params: URLSearchParams, version: SruVersion): Operation {
  const op = operationAsked(params);
  if (op) return op;
  throw fail(4, `"${params.get('operation')}" is not an SRU ${version} operation (explain, searchRetrieve, scan)`);
}

const NUL = '\u0000';

/**
 * The diagnostic for a NUL character (U+0000), which no parameter (and no XML) can hold: 10
 * (query syntax error) in the query or scan clause, 6 (unsupported parameter value) in another
 * value, 8 (unsupported parameter) in a parameter's name. Null when there is none.
 */
function nulDiagnostic(params: URLSearchParams): SruDiagnostic | null {
  for (const [name, value] of params) {
    if (name.includes(NUL))
      return diagnostic(8, `the parameter name ${name.replaceAll(NUL, '\\u0000')} contains the NUL character (U+0000)`);
    if (!value.includes(NUL)) continue;
    if (name === 'query' || name === 'scanClause')
      return diagnostic(10, `the ${name} contains the NUL character (U+0000)`);
    return diagnostic(6, `the parameter ${name} contains the NUL character (U+0000)`);
  }
  return null;
}

/** The parameters without NUL characters: only to choose the version and operation that answer. */
const withoutNul = (params: URLSearchParams) =>
  new URLSearchParams(
    [...params].map(([name, value]): [string, string] => [name.replaceAll(NUL, ''), value.replaceAll(NUL, '')]),
  );

function checkParameters(params: URLSearchParams, version: SruVersion, operation: Operation): void {
  const allowed = PARAMETERS[version][operation];
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (name.startsWith('x-')) continue;
    if (seen.has(name)) throw fail(8, `the parameter ${name} is repeated`);
    seen.add(name);
    if (!allowed.includes(name)) throw fail(8, `${operation} in SRU ${version} does not take the parameter ${name}`);
  }
  if (params.has('stylesheet')) throw fail(110, 'this server does not return stylesheets');
  if (params.has('recordXPath')) throw fail(72, 'recordXPath is not supported');
  if (params.has('sortKeys'))
    throw fail(80, 'sort with the sortKeys parameter is not supported; use CQL sortBy in the query');
}

function integer(params: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw fail(6, `${name} must be a whole number ≥ ${min}, not "${raw}"`);
  return Number(raw);
}

function escapingOf(params: URLSearchParams, version: SruVersion): 'xml' | 'string' {
  if (version === '1.2') {
    const packing = params.get('recordPacking') ?? 'xml';
    if (packing !== 'xml' && packing !== 'string')
      throw fail(71, `recordPacking "${packing}" is not supported (xml, string)`);
    return packing;
  }
  const packing = params.get('recordPacking') ?? 'packed';
  if (packing !== 'packed') throw fail(71, `recordPacking "${packing}" is not supported (packed)`);
  const escaping = params.get('recordXMLEscaping') ?? 'xml';
  if (escaping !== 'xml' && escaping !== 'string')
    throw fail(71, `recordXMLEscaping "${escaping}" is not supported (xml, string)`);
  return escaping;
}

const asSru = (error: unknown): SruFailure => {
  if (error instanceof SruFailure) return error;
  if (error instanceof CqlDiagnostic) return new SruFailure([diagnostic(error.code, error.details)]);
  throw error;
};

/** Answers one SRU request (arguments from the query string or a form body) with an SRU document. */
export async function handleSru(ctx: AppContext, params: URLSearchParams, options: SruOptions): Promise<string> {
  const nul = nulDiagnostic(params);
  const { version, problem } = versionOf(nul ? withoutNul(params) : params);
  const w = new SruWriter(version);
  let operation: Operation = 'explain';
  try {
    if (nul) {
      operation = operationAsked(withoutNul(params)) ?? 'explain';
      throw new SruFailure([nul]);
    }
    if (problem) throw new SruFailure([problem]);
    operation = operationOf(params, version);
    checkParameters(params, version, operation);
    switch (operation) {
      case 'explain':
        return explain(w, params, options);
      case 'searchRetrieve':
        return await searchRetrieve(ctx, w, params, options);
      case 'scan':
        return await scan(ctx, w, params, options);
    }
  } catch (error) {
    const failure = asSru(error);
    if (operation === 'scan')
      return w.document(
        'scanResponse',
        (version === '1.2' ? w.el('version', version) : '') +
          w.diagnostics(failure.diagnostics, version === '1.2' ? 'srw' : 'scan'),
        version === '1.2' ? 'srw' : 'scan',
      );
    if (operation === 'searchRetrieve')
      return w.document(
        'searchRetrieveResponse',
        w.el('version', version) + w.el('numberOfRecords', 0) + w.diagnostics(failure.diagnostics),
      );
    // An explain response must carry the explain record; diagnostics go beside it.
    return explain(w, new URLSearchParams(), options, failure.diagnostics);
  }
}

function explain(
  w: SruWriter,
  params: URLSearchParams,
  options: SruOptions,
  diagnostics: SruDiagnostic[] = [],
): string {
  const escaping = diagnostics.length ? 'xml' : escapingOf(params, w.version);
  const record = zeerexRecord({
    version: w.version,
    host: options.host,
    port: options.port,
    database: options.database,
    defaultRecords: options.defaultRecords,
    maximumRecords: options.maximumRecords,
    maximumTerms: options.maximumTerms,
  });
  return w.document(
    'explainResponse',
    w.el('version', w.version) + w.record(ZEEREX_NAMESPACE, record, escaping, null) + w.diagnostics(diagnostics),
  );
}

async function searchRetrieve(
  ctx: AppContext,
  w: SruWriter,
  params: URLSearchParams,
  options: SruOptions,
): Promise<string> {
  const queryType = params.get('queryType');
  if (queryType !== null && queryType !== 'cql') throw fail(11, `queryType "${queryType}" is not supported (cql)`);
  const text = params.get('query');
  if (text === null || text.trim() === '') throw fail(7, 'query');
  const start = integer(params, 'startRecord', 1, 1);
  // A position past any result set (and past what an SQL offset takes) only counts the hits.
  const beyond = start > Number.MAX_SAFE_INTEGER;
  const maximum = Math.min(integer(params, 'maximumRecords', options.defaultRecords, 0), options.maximumRecords);
  const schemaName = params.get('recordSchema') ?? 'marcxml';
  const schema = RECORD_SCHEMAS.find((s) => (s.aliases as readonly string[]).includes(schemaName));
  if (!schema)
    throw fail(66, `recordSchema "${schemaName}" is not served (${RECORD_SCHEMAS.map((s) => s.name).join(', ')})`);
  const escaping = escapingOf(params, w.version);
  if (text.length > 10_000) throw new CqlDiagnostic(12, 'the query is longer than 10,000 characters');
  const query = parseCql(text);
  const result = await searchRecordsByCql(
    ctx,
    query,
    beyond ? { offset: 0, limit: 0 } : { offset: start - 1, limit: maximum },
  );
  if (result.total > 0 && start > result.total) {
    const asked = beyond ? `beyond ${Number.MAX_SAFE_INTEGER}` : String(start);
    return w.document(
      'searchRetrieveResponse',
      w.el('version', w.version) +
        w.el('numberOfRecords', result.total) +
        w.diagnostics([diagnostic(61, `startRecord ${asked} is past the last of ${result.total} records`)]),
    );
  }
  const records = result.records.map((hit: CqlHit, i) => {
    const data =
      schema.name === 'dc'
        ? srwDc(dublinCore(hit.fields, { identifiers: [`${options.siteUrl}/works/${hit.workId}`] }))
        : marc21SlimElement(publicMarc(hit.marc));
    return w.record(schema.identifier, data, escaping, start + i);
  });
  const next =
    start + records.length <= result.total && records.length > 0
      ? w.el('nextRecordPosition', start + records.length)
      : '';
  return w.document(
    'searchRetrieveResponse',
    w.el('version', w.version) +
      w.el('numberOfRecords', result.total) +
      (records.length ? `${w.open('records')}${records.join('')}${w.close('records')}` : '') +
      next +
      // SRU 2.0 says when numberOfRecords is an estimate (a search with very many candidates).
      (result.approximate && w.version === '2.0'
        ? w.el('resultCountPrecision', 'info:srw/vocabulary/resultCountPrecision/1/estimate')
        : ''),
  );
}

async function scan(ctx: AppContext, w: SruWriter, params: URLSearchParams, options: SruOptions): Promise<string> {
  const text = params.get('scanClause');
  if (text === null || text.trim() === '') throw fail(7, 'scanClause');
  const maximumTerms = Math.min(integer(params, 'maximumTerms', 20, 1), options.maximumTerms);
  const position = integer(params, 'responsePosition', 1, 0);
  if (position > maximumTerms + 1)
    throw fail(120, `responsePosition ${position} is beyond maximumTerms + 1 (${maximumTerms + 1})`);
  const query = parseCql(text);
  if (query.root.type !== 'searchClause' || query.sortKeys.length)
    throw new CqlDiagnostic(10, 'a scan clause is one index, relation and term');
  const clause: CqlSearchClause = query.root;
  const before = Math.max(position - 1, 0);
  const terms = await scanCqlIndex(ctx, clause, prefixMap(clause.prefixes), { before, after: maximumTerms - before });
  const list = [...terms.before, ...terms.after];
  const prefix = w.version === '1.2' ? 'srw' : 'scan';
  // No whitespace between the term elements: yaz-client 5.34 crashes (SIGSEGV) on a scan
  // response whose <terms> holds whitespace text between elements.
  const tag = (name: string, value: string | number) => xmlElement(`${prefix}:${name}`, value);
  const items = list
    .map((t, i) => {
      const where = list.length === 1 ? 'only' : i === 0 ? 'first' : i === list.length - 1 ? 'last' : 'inner';
      return `<${prefix}:term>${tag('value', t.value)}${tag('numberOfRecords', t.count)}${tag('displayTerm', t.value)}${tag('whereInList', where)}</${prefix}:term>`;
    })
    .join('');
  const body =
    (w.version === '1.2' ? w.el('version', '1.2') : '') +
    (items ? `<${prefix}:terms>${items}</${prefix}:terms>\n` : '');
  return w.document('scanResponse', body, prefix);
}
