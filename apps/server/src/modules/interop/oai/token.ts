// Resumption tokens that need no server state: the query and the keyset position are encoded
// in the token itself, with a checksum, so a token survives restarts and works on any server
// process; a changed or truncated token is refused as badResumptionToken.
import { createHash } from 'node:crypto';
import { isUuid } from '../../../platform/uuid.js';

export interface TokenState {
  verb: 'ListIdentifiers' | 'ListRecords';
  metadataPrefix: string;
  set?: string;
  from?: string;
  before?: string;
  /** The last (updated_at with microseconds, id) delivered. */
  after: { stamp: string; id: string };
  /** How many records were delivered before the page this token asks for. */
  cursor: number;
  completeListSize: number;
  /** Expiry, seconds since the epoch. */
  expires: number;
}

const CONTEXT = 'athenaeum/oai-pmh/resumption-token/v1';
const check = (payload: string) =>
  createHash('sha256').update(`${CONTEXT}:${payload}`).digest('base64url').slice(0, 16);

export function encodeToken(state: TokenState): string {
  const payload = Buffer.from(
    JSON.stringify([
      state.verb === 'ListRecords' ? 'R' : 'I',
      state.metadataPrefix,
      state.set ?? null,
      state.from ?? null,
      state.before ?? null,
      state.after.stamp,
      state.after.id,
      state.cursor,
      state.completeListSize,
      state.expires,
    ]),
  ).toString('base64url');
  return `${payload}.${check(payload)}`;
}

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const optional = (v: unknown, pattern?: RegExp) =>
  v === null || (typeof v === 'string' && (!pattern || pattern.test(v)));

/** The state in a token, or a reason it cannot be used (malformed, altered, expired, or for another verb). */
export function decodeToken(token: string, verb: string, nowSeconds: number): TokenState | string {
  const [payload, sum, ...rest] = token.split('.');
  if (!payload || !sum || rest.length || check(payload) !== sum)
    return 'The resumption token is not one this repository issued, or it was altered.';
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return 'The resumption token cannot be read.';
  }
  if (!Array.isArray(parts) || parts.length !== 10) return 'The resumption token cannot be read.';
  const [v, prefix, set, from, before, stamp, id, cursor, size, expires] = parts as unknown[];
  const valid =
    (v === 'R' || v === 'I') &&
    typeof prefix === 'string' &&
    optional(set) &&
    optional(from, ISO) &&
    optional(before, ISO) &&
    typeof stamp === 'string' &&
    STAMP.test(stamp) &&
    typeof id === 'string' &&
    isUuid(id) &&
    Number.isInteger(cursor) &&
    Number.isInteger(size) &&
    Number.isInteger(expires);
  if (!valid) return 'The resumption token cannot be read.';
  const tokenVerb = v === 'R' ? 'ListRecords' : 'ListIdentifiers';
  if (tokenVerb !== verb) return `The resumption token belongs to ${tokenVerb}, not ${verb}.`;
  if ((expires as number) < nowSeconds)
    return `The resumption token expired at ${new Date((expires as number) * 1000).toISOString()}.`;
  return {
    verb: tokenVerb,
    metadataPrefix: prefix as string,
    ...(set !== null ? { set: set as string } : {}),
    ...(from !== null ? { from: from as string } : {}),
    ...(before !== null ? { before: before as string } : {}),
    after: { stamp: stamp as string, id: id as string },
    cursor: cursor as number,
    completeListSize: size as number,
    expires: expires as number,
  };
}
