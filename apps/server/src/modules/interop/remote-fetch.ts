// One HTTP GET to a remote server for the interop module's clients (the OAI-PMH harvester, the
// SRU client), with limits: a wait for the answer to begin, a deadline for all of it, and a size
// cap on its body, read as it streams in and cut off past the cap. Each failure is an
// INTEROP_REMOTE_* error whose message names the address and what went wrong.
import { AppError } from '../../platform/errors.js';
import { InteropErrors } from './interop.errors.js';

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
}

const remoteError = (code: string, url: string, reason: string, extra: Omit<RemoteFailureDetails, 'reason'> = {}) =>
  new AppError(code, `${url}: ${reason}`, { reason, ...extra } satisfies RemoteFailureDetails);

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MiB` : `${Math.round(bytes / 1024)} KiB`;

/**
 * GETs `url` within the limits. A 2xx answer comes back with its body read whole; any other
 * status without its body. Throws INTEROP_REMOTE_TIMEOUT (details.phase says which wait ran
 * out), INTEROP_REMOTE_TOO_LARGE (`tooLargeHint` appended to its message) or
 * INTEROP_REMOTE_UNREACHABLE.
 */
export async function fetchRemote(
  url: string,
  options: { fetch?: typeof fetch; accept: string; tooLargeHint?: string },
  limits: RemoteLimits,
): Promise<RemoteAnswer> {
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
    const res = await (options.fetch ?? fetch)(url, {
      headers: { accept: options.accept },
      redirect: 'follow',
      signal: controller.signal,
    });
    clearTimeout(startTimer);
    const answer = { status: res.status, statusText: res.statusText, headers: res.headers };
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ...answer, body: null };
    }
    return { ...answer, body: await readCapped(res, limits.maxBytes, url, options.tooLargeHint) };
  } catch (error) {
    if (error instanceof AppError) throw error;
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
