// The OAI-PMH 2.0 data provider: six verbs over the union catalogue, oai_dc and marc21
// (MARCXML), sets by library and by material type, persistent deletions, stateless tokens.
import type { AppContext } from '../../../platform/context/context.js';
import { XML_DECLARATION, xmlAttr, xmlElement, xmlText } from '../../../platform/xml.js';
import { findOrganizationByCode, getOrganization } from '../../accounts/index.js';
import {
  countRecordsForHarvest,
  dublinCore,
  getRecordForHarvest,
  harvestOverview,
  listRecordsForHarvest,
  marc21SlimElement,
  publicMarc,
  oaiDcElement,
  type HarvestRecord,
  type HarvestSelection,
} from '../../catalog/index.js';
import { dateRange, oaiError, OaiFailure, parseOaiRequest, type OaiError, type OaiRequest } from './request.js';
import { decodeToken, encodeToken, type TokenState } from './token.js';
import { isUuid } from '../../../platform/uuid.js';

export const OAI_NAMESPACE = 'http://www.openarchives.org/OAI/2.0/';

/** The metadata formats every live record is disseminated in. */
export const METADATA_FORMATS = {
  oai_dc: {
    schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
    namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/',
  },
  marc21: {
    schema: 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd',
    namespace: 'http://www.loc.gov/MARC21/slim',
  },
} as const;
type Prefix = keyof typeof METADATA_FORMATS;

export interface OaiOptions {
  /** The address of this endpoint, as harvesters reach it (…/oai). */
  baseUrl: string;
  /** The repository identifier in `oai:<id>:<record uuid>`: a domain name. */
  repositoryId: string;
  repositoryName: string;
  adminEmail: string;
  /** Records per ListRecords page (identifiers per ListIdentifiers page: five times as many). */
  pageSize: number;
  /** How long a resumption token stays valid, in seconds (at least a day). */
  tokenLifetime: number;
}

export interface OaiResponse {
  status: number;
  /** The OAI-PMH document; empty for a 503. */
  xml: string;
  /** Seconds, for a 503 that asks the harvester to come back. */
  retryAfter?: number;
}

const LIBRARY_SET = /^library:([A-Za-z0-9\-_.!~*'()]+)$/;
const TYPE_SET = /^type:([A-Za-z0-9\-_.!~*'()]+)$/;
const SET_SPEC = /^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$/;

const seconds = (stamp: string) => `${stamp.slice(0, 19)}Z`;

class Libraries {
  private byId = new Map<string, { code: string; name: string } | null>();
  constructor(private ctx: AppContext) {}
  async get(id: string) {
    if (!this.byId.has(id)) {
      const org = await getOrganization(this.ctx, id).catch(() => null);
      this.byId.set(id, org ? { code: org.code, name: org.names.en ?? Object.values(org.names)[0] ?? org.code } : null);
    }
    return this.byId.get(id)!;
  }
}

function envelope(now: Date, baseUrl: string, request: OaiRequest | null, body: string): string {
  const attrs = request
    ? Object.entries({ verb: request.verb, ...request.args })
        .map(([k, v]) => ` ${k}="${xmlAttr(v)}"`)
        .join('')
    : '';
  return (
    XML_DECLARATION +
    `<OAI-PMH xmlns="${OAI_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${OAI_NAMESPACE} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n` +
    `<responseDate>${now.toISOString().slice(0, 19)}Z</responseDate>\n` +
    `<request${attrs}>${xmlText(baseUrl)}</request>\n` +
    body +
    '</OAI-PMH>\n'
  );
}

const errorsXml = (errors: OaiError[]) =>
  errors.map((e) => `${xmlElement('error', e.message, { code: e.code })}\n`).join('');

/**
 * Answers one OAI-PMH request (its arguments from the query string or the form body). Every
 * answer is an OAI-PMH document, errors included; status 200 except a 503 asking to retry.
 */
export async function handleOai(ctx: AppContext, params: URLSearchParams, options: OaiOptions): Promise<OaiResponse> {
  const now = ctx.clock.now();
  let request: OaiRequest | null = null;
  try {
    request = parseOaiRequest(params);
    const body = await answer(ctx, request, options, now);
    return { status: 200, xml: envelope(now, options.baseUrl, request, body) };
  } catch (error) {
    if (error instanceof RetryLater) {
      return { status: 503, retryAfter: error.seconds, xml: '' };
    }
    if (!(error instanceof OaiFailure)) throw error;
    // With badVerb or badArgument the request element carries no attributes (spec 3.6).
    const echo = error.errors.some((e) => e.code === 'badVerb' || e.code === 'badArgument') ? null : request;
    return { status: 200, xml: envelope(now, options.baseUrl, echo, errorsXml(error.errors)) };
  }
}

class RetryLater extends Error {
  constructor(readonly seconds: number) {
    super('retry later');
  }
}

function answer(ctx: AppContext, request: OaiRequest, options: OaiOptions, now: Date): Promise<string> {
  switch (request.verb) {
    case 'Identify':
      return identify(ctx, options);
    case 'ListMetadataFormats':
      return listMetadataFormats(ctx, request.args.identifier, options);
    case 'ListSets':
      return listSets(ctx, request.args.resumptionToken);
    case 'GetRecord':
      return getRecord(ctx, request.args.identifier!, request.args.metadataPrefix!, options);
    case 'ListIdentifiers':
    case 'ListRecords':
      return list(ctx, request.verb, request.args, options, now);
  }
}

async function identify(ctx: AppContext, options: OaiOptions): Promise<string> {
  const { earliest } = await harvestOverview(ctx);
  const sample = `oai:${options.repositoryId}:00000000-0000-4000-8000-000000000000`;
  return (
    '<Identify>\n' +
    `${xmlElement('repositoryName', options.repositoryName)}\n` +
    `${xmlElement('baseURL', options.baseUrl)}\n` +
    '<protocolVersion>2.0</protocolVersion>\n' +
    `${xmlElement('adminEmail', options.adminEmail)}\n` +
    `<earliestDatestamp>${earliest ?? `${ctx.clock.now().toISOString().slice(0, 19)}Z`}</earliestDatestamp>\n` +
    '<deletedRecord>persistent</deletedRecord>\n' +
    '<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>\n' +
    '<description>\n' +
    '<oai-identifier xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">\n' +
    '<scheme>oai</scheme>\n' +
    `${xmlElement('repositoryIdentifier', options.repositoryId)}\n` +
    '<delimiter>:</delimiter>\n' +
    `${xmlElement('sampleIdentifier', sample)}\n` +
    '</oai-identifier>\n' +
    '</description>\n' +
    '</Identify>\n'
  );
}

/** The record id in `oai:<repository>:<uuid>`, or null when the identifier is not one of ours. */
export function recordIdOf(identifier: string, repositoryId: string): string | null {
  const prefix = `oai:${repositoryId}:`;
  if (!identifier.startsWith(prefix)) return null;
  const id = identifier.slice(prefix.length).toLowerCase();
  return isUuid(id) ? id : null;
}

async function findRecord(ctx: AppContext, identifier: string, options: OaiOptions): Promise<HarvestRecord> {
  const id = recordIdOf(identifier, options.repositoryId);
  const record = id ? await getRecordForHarvest(ctx, id) : null;
  if (!record) throw oaiError('idDoesNotExist', `No record has the identifier "${identifier}" in this repository.`);
  return record;
}

async function listMetadataFormats(
  ctx: AppContext,
  identifier: string | undefined,
  options: OaiOptions,
): Promise<string> {
  if (identifier !== undefined) {
    const record = await findRecord(ctx, identifier, options);
    if (record.deleted)
      throw oaiError(
        'noMetadataFormats',
        `The record "${identifier}" was deleted; no metadata is disseminated for it.`,
      );
  }
  const formats = Object.entries(METADATA_FORMATS)
    .map(
      ([prefix, f]) =>
        `<metadataFormat>\n${xmlElement('metadataPrefix', prefix)}\n${xmlElement('schema', f.schema)}\n${xmlElement('metadataNamespace', f.namespace)}\n</metadataFormat>\n`,
    )
    .join('');
  return `<ListMetadataFormats>\n${formats}</ListMetadataFormats>\n`;
}

async function listSets(ctx: AppContext, token: string | undefined): Promise<string> {
  if (token !== undefined)
    throw oaiError(
      'badResumptionToken',
      'ListSets is answered in one response; this repository issued no token for it.',
    );
  const overview = await harvestOverview(ctx);
  if (overview.libraryIds.length === 0)
    throw oaiError('noSetHierarchy', 'The catalogue has no records yet, so it has no sets.');
  const libraries = new Libraries(ctx);
  let sets = '';
  for (const id of overview.libraryIds) {
    const library = await libraries.get(id);
    if (!library) continue;
    sets += `<set>\n${xmlElement('setSpec', `library:${library.code}`)}\n${xmlElement('setName', library.name)}\n</set>\n`;
  }
  for (const type of overview.materialTypes) {
    sets += `<set>\n${xmlElement('setSpec', `type:${type}`)}\n${xmlElement('setName', `Material type: ${type}`)}\n</set>\n`;
  }
  return `<ListSets>\n${sets}</ListSets>\n`;
}

function checkPrefix(prefix: string): Prefix {
  if (!(prefix in METADATA_FORMATS)) {
    throw oaiError(
      'cannotDisseminateFormat',
      `The metadata format "${prefix}" is not supported; use ${Object.keys(METADATA_FORMATS).join(' or ')}.`,
    );
  }
  return prefix as Prefix;
}

async function header(record: HarvestRecord, libraries: Libraries, options: OaiOptions): Promise<string> {
  const library = await libraries.get(record.libraryId);
  return (
    `<header${record.deleted ? ' status="deleted"' : ''}>\n` +
    `${xmlElement('identifier', `oai:${options.repositoryId}:${record.id}`)}\n` +
    `<datestamp>${seconds(record.stamp)}</datestamp>\n` +
    (library ? `${xmlElement('setSpec', `library:${library.code}`)}\n` : '') +
    `${xmlElement('setSpec', `type:${record.materialType}`)}\n` +
    '</header>\n'
  );
}

function metadata(record: HarvestRecord, prefix: Prefix, options: OaiOptions): string {
  if (record.deleted || !record.marc || !record.fields) return '';
  const site = new URL(options.baseUrl).origin;
  const payload =
    prefix === 'marc21'
      ? marc21SlimElement(publicMarc(record.marc))
      : oaiDcElement(dublinCore(record.fields, { identifiers: [`${site}/works/${record.workId}`] }));
  return `<metadata>\n${payload}</metadata>\n`;
}

async function getRecord(
  ctx: AppContext,
  identifier: string,
  metadataPrefix: string,
  options: OaiOptions,
): Promise<string> {
  const record = await findRecord(ctx, identifier, options);
  const prefix = checkPrefix(metadataPrefix);
  return `<GetRecord>\n<record>\n${await header(record, new Libraries(ctx), options)}${metadata(record, prefix, options)}</record>\n</GetRecord>\n`;
}

/** A set spec as a selection; throws noSetHierarchy or noRecordsMatch where the set cannot select anything. */
async function selectionOf(ctx: AppContext, set: string | undefined): Promise<HarvestSelection> {
  if (set === undefined) return {};
  if (!SET_SPEC.test(set)) throw oaiError('badArgument', `set="${set}" is not a setSpec.`);
  const overview = await harvestOverview(ctx);
  if (overview.libraryIds.length === 0)
    throw oaiError('noSetHierarchy', 'The catalogue has no records yet, so it has no sets.');
  const library = LIBRARY_SET.exec(set);
  if (library) {
    const org = await findOrganizationByCode(ctx, library[1]!);
    if (org && org.kind === 'library') return { libraryId: org.id };
  }
  const type = TYPE_SET.exec(set);
  if (type && overview.materialTypes.includes(type[1]!)) return { materialType: type[1]! };
  throw oaiError(
    'noRecordsMatch',
    `There is no set "${set}" (sets are library:<CODE> and type:<material type>; see ListSets).`,
  );
}

async function list(
  ctx: AppContext,
  verb: 'ListIdentifiers' | 'ListRecords',
  args: Record<string, string>,
  options: OaiOptions,
  now: Date,
): Promise<string> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let state: Omit<TokenState, 'after' | 'expires'> & { after: TokenState['after'] | null };
  if (args.resumptionToken !== undefined) {
    const decoded = decodeToken(args.resumptionToken, verb, nowSeconds);
    if (typeof decoded === 'string') throw oaiError('badResumptionToken', decoded);
    state = decoded;
  } else {
    const prefix = checkPrefix(args.metadataPrefix!);
    const range = dateRange(args.from, args.until);
    state = {
      verb,
      metadataPrefix: prefix,
      ...(args.set !== undefined ? { set: args.set } : {}),
      ...range,
      after: null,
      cursor: 0,
      completeListSize: 0,
    };
  }
  const prefix = checkPrefix(state.metadataPrefix);
  const selection: HarvestSelection = {
    ...(await selectionOf(ctx, state.set)),
    ...(state.from ? { from: state.from } : {}),
    ...(state.before ? { before: state.before } : {}),
  };
  const limit = verb === 'ListRecords' ? options.pageSize : options.pageSize * 5;
  const page = await listRecordsForHarvest(ctx, selection, {
    after: state.after,
    limit,
    withMetadata: verb === 'ListRecords',
  });
  if (page.records.length === 0) {
    // Past the first page the keyset always had a record left; an empty page means rows ahead
    // are still being written (behind the visibility horizon).
    if (state.after) throw new RetryLater(5);
    throw oaiError('noRecordsMatch', 'No records match the arguments given.');
  }
  const completeListSize = state.after ? state.completeListSize : await countRecordsForHarvest(ctx, selection);
  const libraries = new Libraries(ctx);
  let body = `<${verb}>\n`;
  for (const record of page.records) {
    body +=
      verb === 'ListRecords'
        ? `<record>\n${await header(record, libraries, options)}${metadata(record, prefix, options)}</record>\n`
        : await header(record, libraries, options);
  }
  const delivered = state.cursor + page.records.length;
  if (page.hasMore) {
    const last = page.records.at(-1)!;
    const expires = nowSeconds + options.tokenLifetime;
    const token = encodeToken({
      ...state,
      after: { stamp: last.stamp, id: last.id },
      cursor: delivered,
      completeListSize: Math.max(completeListSize, delivered + 1),
      expires,
    });
    body += `${xmlElement('resumptionToken', token, { completeListSize: Math.max(completeListSize, delivered + 1), cursor: state.cursor, expirationDate: `${new Date(expires * 1000).toISOString().slice(0, 19)}Z` })}\n`;
  } else if (state.after) {
    // The last page of a list that came in several: an empty token closes it (spec 3.5).
    body += `${xmlElement('resumptionToken', null, { completeListSize: Math.max(completeListSize, delivered), cursor: state.cursor })}\n`;
  }
  return `${body}</${verb}>\n`;
}
