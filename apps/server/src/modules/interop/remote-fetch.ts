// One HTTP GET to a remote server for the interop module's clients (the OAI-PMH harvester, the
// SRU client), with limits: a wait for the answer to begin, a deadline for all of it, and a size
// cap on its body, read as it streams in and cut off past the cap. Each failure is an
// INTEROP_REMOTE_* error whose message names the address and what went wrong.
//
// Internal addresses (loopback, private networks, link-local and cloud metadata …; see
// remote-address.ts) are refused unless the caller allows them (INTEROP_ALLOW_PRIVATE_REMOTES):
// a literal IP in the URL before anything is sent, and every connection — redirects included —
// when it is made, on the addresses its name resolves to, so a name that resolves to a public
// address when saved and an internal one later (DNS rebinding) is still refused.
import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { AppError } from '../../platform/errors.js';
import { InteropErrors } from './interop.errors.js';
import { internalAddressKind } from './remote-address.js';

export interface RemoteLimits {
  /** Longest wait for the answer to begin (status and headers), in milliseconds. */
  timeoutMs: number;
  /** Longest wait for the whole answer, body included, from the request on; default: timeoutMs. */
  deadlineMs?: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
}

export interface RemoteAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  /** The body of a 2xx answer; null for any other status (its body is not read). */
  body: Uint8Array | null;
}

/** Why a remote request failed, as details of its AppError: `reason` is the message without the address. */
export interface RemoteFailureDetails extends Record<string, unknown> {
  reason: string;
  /** For INTEROP_REMOTE_TIMEOUT: no answer began in time ('start'), or the body did not all come ('body'). */
  phase?: 'start' | 'body';
  /** For INTEROP_REMOTE_FORBIDDEN_ADDRESS: the host refused. */
  host?: string;
}

/** A connection refused because the address it would go to is internal. */
export class InternalAddressError extends Error {
  constructor(
    readonly host: string,
    readonly kind: string,
    resolved: boolean,
  ) {
    super(
      `${host} ${resolved ? 'resolves to' : 'is'} an internal address (${kind}); this server does not fetch from internal addresses.`,
    );
    this.name = 'InternalAddressError';
  }
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/** dns.lookup for net.connect that fails when any address of the name is internal. */
const refusingLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', undefined);
    for (const { address } of addresses) {
      const kind = internalAddressKind(address);
      if (kind) return callback(new InternalAddressError(hostname, kind, true), '', undefined);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), '', undefined);
    return callback(null, first.address, first.family);
  });
};

/**
 * Connects like undici does, but never to an internal address: a literal IP is checked before
 * connecting, a name through refusingLookup, and the socket's peer once connected.
 */
export function refusingConnector(): buildConnector.connector {
  const connect = buildConnector({ lookup: refusingLookup });
  return (options, callback) => {
    const host = bare(options.hostname);
    const literal = net.isIP(host) ? internalAddressKind(host) : null;
    if (literal) return callback(new InternalAddressError(host, literal, false), null);
    connect(options, (error, socket) => {
      if (error) return callback(error, null);
      const peer = socket.remoteAddress ? internalAddressKind(socket.remoteAddress) : null;
      if (!peer) return callback(null, socket);
      socket.destroy();
      return callback(new InternalAddressError(host, peer, !net.isIP(host)), null);
    });
  };
}

let refusingAgent: Agent | null = null;
/** The dispatcher of requests that may not reach internal addresses, made on first use. */
const publicOnly = () => (refusingAgent ??= new Agent({ connect: refusingConnector() }));

/** The internal-address refusal behind a failed fetch, if that is why it failed. */
function internalAddressCause(error: unknown): InternalAddressError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof InternalAddressError) return e;
  }
  return null;
}

const remoteError = (code: string, url: string, reason: string, extra: Omit<RemoteFailureDetails, 'reason'> = {}) =>
  new AppError(code, `${url}: ${reason}`, { reason, ...extra } satisfies RemoteFailureDetails);

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MiB` : `${Math.round(bytes / 1024)} KiB`;

/**
 * GETs `url` within the limits. A 2xx answer comes back with its body read whole; any other
 * status without its body. Throws INTEROP_REMOTE_TIMEOUT (details.phase says which wait ran
 * out), INTEROP_REMOTE_TOO_LARGE (`tooLargeHint` appended to its message),
 * INTEROP_REMOTE_FORBIDDEN_ADDRESS (an internal address, unless `allowPrivateAddresses`) or
 * INTEROP_REMOTE_UNREACHABLE.
 */
export async function fetchRemote(
  url: string,
  options: {
    /** For tests: the fetch to use instead of undici's (literal internal IPs are still refused). */
    fetch?: typeof fetch;
    accept: string;
    tooLargeHint?: string;
    /** Whether internal addresses may be fetched (INTEROP_ALLOW_PRIVATE_REMOTES); default: no. */
    allowPrivateAddresses?: boolean;
  },
  limits: RemoteLimits,
): Promise<RemoteAnswer> {
  const allowPrivate = options.allowPrivateAddresses ?? false;
  if (!allowPrivate) refuseLiteralInternal(url);
  const controller = new AbortController();
  let expired: 'start' | 'body' | null = null;
  const deadlineMs = limits.deadlineMs ?? limits.timeoutMs;
  const startTimer = setTimeout(() => {
    expired ??= 'start';
    controller.abort();
  }, limits.timeoutMs);
  const deadlineTimer = setTimeout(() => {
    expired ??= 'body';
    controller.abort();
  }, deadlineMs);
  try {
    const init = { headers: { accept: options.accept }, redirect: 'follow', signal: controller.signal } as const;
    const res = options.fetch
      ? await options.fetch(url, init)
      : ((await undiciFetch(url, allowPrivate ? init : { ...init, dispatcher: publicOnly() })) as unknown as Response);
    clearTimeout(startTimer);
    const answer = { status: res.status, statusText: res.statusText, headers: res.headers };
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ...answer, body: null };
    }
    return { ...answer, body: await readCapped(res, limits.maxBytes, url, options.tooLargeHint) };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const refused = internalAddressCause(error);
    if (refused) throw forbidden(url, refused);
    if (expired === 'start' || (expired === null && isTimeout(error)))
      throw remoteError(InteropErrors.INTEROP_REMOTE_TIMEOUT, url, `no answer within ${seconds(limits.timeoutMs)}.`, {
        phase: 'start',
      });
    if (expired === 'body')
      throw remoteError(
        InteropErrors.INTEROP_REMOTE_TIMEOUT,
        url,
        `the answer did not arrive in full within ${seconds(deadlineMs)}.`,
        { phase: 'body' },
      );
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw remoteError(
      InteropErrors.INTEROP_REMOTE_UNREACHABLE,
      url,
      cause?.code ?? cause?.message ?? (error as Error).message,
    );
  } finally {
    clearTimeout(startTimer);
    clearTimeout(deadlineTimer);
  }
}

const forbidden = (url: string, refused: InternalAddressError) =>
  remoteError(InteropErrors.INTEROP_REMOTE_FORBIDDEN_ADDRESS, url, refused.message, { host: refused.host });

/** The refusal of `url` when its host is an internal IP address (not a name: names are resolved on connecting). */
function literalInternal(url: string): InternalAddressError | null {
  let hostname: string;
  try {
    hostname = bare(new URL(url).hostname);
  } catch {
    return null; // not a URL: fetch says so
  }
  const kind = net.isIP(hostname) ? internalAddressKind(hostname) : null;
  return kind ? new InternalAddressError(hostname, kind, false) : null;
}

/** Throws INTEROP_REMOTE_FORBIDDEN_ADDRESS when the URL's host is an internal IP address. */
function refuseLiteralInternal(url: string): void {
  const refused = literalInternal(url);
  if (refused) throw forbidden(url, refused);
}

/**
 * For saving a harvest source or copy target: INTEROP_REMOTE_FORBIDDEN_ADDRESS (422, as fetching
 * would answer, so that screens say it in their language) when its host is an internal IP
 * address and those are not allowed. Only an early, clear answer: names are not resolved here
 * (they may resolve elsewhere later); the check on connecting is the guard.
 */
export function checkRemoteBaseUrl(baseUrl: string, allowPrivateAddresses: boolean): void {
  const refused = allowPrivateAddresses ? null : literalInternal(baseUrl);
  if (refused) throw forbidden(baseUrl, refused);
}

/** Reads a body up to `maxBytes`, refusing it at once when Content-Length says it is larger. */
async function readCapped(res: Response, maxBytes: number, url: string, hint = ''): Promise<Uint8Array> {
  const tooLarge = () =>
    remoteError(
      InteropErrors.INTEROP_REMOTE_TOO_LARGE,
      url,
      `the answer is larger than ${size(maxBytes)}, the most accepted.${hint ? ` ${hint}` : ''}`,
    );
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const isTimeout = (error: unknown) =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
