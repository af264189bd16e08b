// Athenaeum as an SRU client, for copy cataloguing: searchRetrieve against a remote SRU 1.2 or
// 2.0 server asking for MARCXML. The request has a timeout and the answer a size cap; the
// response is read with saxes (a DOCTYPE is refused, so no entity is ever declared or fetched)
// and its MARCXML records through @athenaeum/marc.
import { MARCXML_NAMESPACES, readMarcxml, type MarcRecord } from '@athenaeum/marc';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { AppError } from '../../../platform/errors.js';
import { InteropErrors } from '../interop.errors.js';
import { fetchRemote } from '../remote-fetch.js';

const SRU_RESPONSE = new Set(['http://www.loc.gov/zing/srw/', 'http://docs.oasis-open.org/ns/search-ws/sruResponse']);
const SRU_DIAGNOSTIC = new Set([
  'http://www.loc.gov/zing/srw/diagnostic/',
  'http://docs.oasis-open.org/ns/search-ws/diagnostic',
]);

export interface SruDiagnosticInfo {
  uri: string;
  message: string;
  details: string | null;
}

export interface SruSearchResponse {
  total: number;
  records: Array<{ position: number; record: MarcRecord }>;
  diagnostics: SruDiagnosticInfo[];
}

export interface SruSearchOptions {
  baseUrl: string;
  version: '1.2' | '2.0';
  query: string;
  startRecord: number;
  maximumRecords: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxBytes?: number;
  /** Whether the server may be at an internal address (INTEROP_ALLOW_PRIVATE_REMOTES); default: no. */
  allowPrivateAddresses?: boolean;
}

/** The searchRetrieve URL for the version: MARCXML records packed as XML. */
export function searchRetrieveUrl(options: SruSearchOptions): string {
  const params = new URLSearchParams({
    version: options.version,
    ...(options.version === '1.2' ? { operation: 'searchRetrieve' } : {}),
    query: options.query,
    startRecord: String(options.startRecord),
    maximumRecords: String(options.maximumRecords),
    recordSchema: 'marcxml',
    ...(options.version === '1.2' ? { recordPacking: 'xml' } : { recordXMLEscaping: 'xml' }),
  });
  return `${options.baseUrl}${options.baseUrl.includes('?') ? '&' : '?'}${params}`;
}

/** Sends one searchRetrieve and reads its answer; remote failures become the INTEROP_REMOTE_* errors. */
export async function sruSearch(options: SruSearchOptions): Promise<SruSearchResponse> {
  const url = searchRetrieveUrl(options);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const res = await fetchRemote(
    url,
    {
      fetch: options.fetch,
      accept: 'application/xml, text/xml;q=0.9, */*;q=0.1',
      tooLargeHint: 'Ask for fewer records.',
      allowPrivateAddresses: options.allowPrivateAddresses ?? false,
    },
    { timeoutMs, deadlineMs: timeoutMs, maxBytes: options.maxBytes ?? 5 * 1024 * 1024 },
  );
  if (!res.body)
    throw new AppError(InteropErrors.INTEROP_REMOTE_HTTP_ERROR, `${url}: HTTP ${res.status} ${res.statusText}`.trim());
  const xml = new TextDecoder('utf-8', { fatal: false }).decode(res.body);
  const envelope = parseEnvelope(xml, url);
  const marc: MarcRecord[] = [];
  for await (const item of readMarcxml(xml, { flavour: 'marc21' })) {
    if ('record' in item) marc.push(item.record);
  }
  if (envelope.records.length === 0 && envelope.diagnostics.length > 0) {
    const first = envelope.diagnostics[0]!;
    throw new AppError(
      InteropErrors.INTEROP_REMOTE_DIAGNOSTIC,
      `${first.message}${first.details ? ` (${first.details})` : ''} [${first.uri}]`,
      { diagnostics: envelope.diagnostics },
    );
  }
  // The MARC records are in document order, one per SRU record that carried one.
  const records: SruSearchResponse['records'] = [];
  let next = 0;
  envelope.records.forEach((r, index) => {
    if (!r.hasMarc) return;
    const record = marc[next++];
    if (record) records.push({ position: r.position ?? options.startRecord + index, record });
  });
  return { total: envelope.total, records, diagnostics: envelope.diagnostics };
}

interface Envelope {
  total: number;
  records: Array<{ position: number | null; hasMarc: boolean }>;
  diagnostics: SruDiagnosticInfo[];
}

/** The SRU envelope: numberOfRecords, diagnostics, and for each record its position and whether it holds MARCXML. */
export function parseEnvelope(xml: string, url = 'the response'): Envelope {
  const out: Envelope = { total: 0, records: [], diagnostics: [] };
  const parser = new SaxesParser({ xmlns: true });
  const stack: SaxesTagNS[] = [];
  let text = '';
  let problem: string | null = null;
  let sawTotal = false;
  let record: { position: number | null; hasMarc: boolean } | null = null;
  let diagnostic: SruDiagnosticInfo | null = null;
  let inRecordData = 0;
  parser.on('doctype', () => {
    problem = 'a DOCTYPE is not accepted';
  });
  parser.on('error', (e) => {
    problem ??= e.message;
  });
  parser.on('opentag', (tag) => {
    stack.push(tag);
    text = '';
    if (stack.length === 1 && !(SRU_RESPONSE.has(tag.uri) && tag.local === 'searchRetrieveResponse'))
      problem ??= `the root element is <${tag.name}>, not an SRU searchRetrieveResponse`;
    if (SRU_RESPONSE.has(tag.uri) && !inRecordData) {
      if (tag.local === 'record' && stack.length === 3) record = { position: null, hasMarc: false };
      if (tag.local === 'recordData') inRecordData = stack.length;
      return;
    }
    if (SRU_DIAGNOSTIC.has(tag.uri) && tag.local === 'diagnostic') diagnostic = { uri: '', message: '', details: null };
    if (inRecordData && record && tag.local === 'record' && MARCXML_NAMESPACES.has(tag.uri)) record.hasMarc = true;
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    const value = text.trim();
    text = '';
    if (SRU_DIAGNOSTIC.has(tag.uri) && diagnostic) {
      if (tag.local === 'uri') diagnostic.uri = value;
      else if (tag.local === 'message') diagnostic.message = value;
      else if (tag.local === 'details') diagnostic.details = value || null;
      else if (tag.local === 'diagnostic') {
        diagnostic.message ||= diagnostic.uri;
        out.diagnostics.push(diagnostic);
        diagnostic = null;
      }
      return;
    }
    if (!SRU_RESPONSE.has(tag.uri)) return;
    if (tag.local === 'recordData' && inRecordData === stack.length + 1) inRecordData = 0;
    if (inRecordData) return;
    if (tag.local === 'numberOfRecords' && stack.length === 1) {
      sawTotal = /^\d+$/.test(value);
      out.total = sawTotal ? Number(value) : 0;
    } else if (tag.local === 'recordPosition' && record && /^\d+$/.test(value)) record.position = Number(value);
    else if (tag.local === 'record' && record && stack.length === 2) {
      out.records.push(record);
      record = null;
    }
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    problem ??= (error as Error).message;
  }
  if (!problem && stack.length === 0 && !sawTotal && out.diagnostics.length === 0) problem = 'no numberOfRecords';
  if (problem) throw new AppError(InteropErrors.INTEROP_REMOTE_BAD_RESPONSE, `${url}: ${problem}`);
  return out;
}
