import type { Problem } from '@athenaeum/contracts';

const BASE = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The CSRF token of the current session lives in memory only: sign-in and "who am I" hand it over.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** A failed API call: the server's problem details, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get code(): string {
    return this.problem?.code ?? (this.status === 0 ? 'NETWORK' : 'UNKNOWN');
  }

  /** Field errors keyed by the field name (`body.email` → `email`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const error of this.problem?.errors ?? []) {
      const field = error.path.replace(/^(body|query|querystring|params)\.?/, '');
      if (field && !(field in out)) out[field] = error.message;
    }
    return out;
  }
}

type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${BASE}${path}${search ? `?${search}` : ''}`;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(url(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, null, error instanceof Error ? error.message : 'Network error');
  }
}

async function toError(response: Response): Promise<ApiError> {
  let problem: Problem | null = null;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'code' in body) problem = body as Problem;
  } catch {
    // Not JSON (a proxy's error page, say): the status alone has to do.
  }
  return new ApiError(response.status, problem, problem?.detail ?? response.statusText);
}

async function refreshCsrfToken(): Promise<boolean> {
  const response = await send('/sessions/current', {});
  if (!response.ok) return false;
  const body = (await response.json()) as { csrfToken: string | null };
  setCsrfToken(body.csrfToken);
  return Boolean(body.csrfToken);
}

/** Calls the JSON API; throws ApiError with the problem details on failure. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(path, options);
  if (response.status === 403 && UNSAFE.has(options.method ?? 'GET')) {
    const error = await toError(response);
    // A token lost (another tab signed in again, say): fetch the current one and try once more.
    if (error.code !== 'CSRF_TOKEN_INVALID' || !(await refreshCsrfToken())) throw error;
    response = await send(path, options);
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export interface UploadOptions {
  query?: Query;
  /** Called as the body goes out: bytes sent and the total. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

function sendFile(path: string, file: Blob, options: UploadOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    // XMLHttpRequest, not fetch: only it reports how much of a request body has been sent.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url(path, options.query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.total);
    xhr.onload = () =>
      resolve(
        new Response(xhr.status === 204 ? null : xhr.responseText, {
          status: xhr.status,
          headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' },
        }),
      );
    xhr.onerror = () => reject(new ApiError(0, null, 'Network error'));
    xhr.onabort = () => reject(new DOMException('The upload was stopped.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** Uploads a file as the raw body of a POST; throws ApiError with the problem details on failure. */
export async function uploadFile<T>(path: string, file: Blob, options: UploadOptions = {}): Promise<T> {
  let response = await sendFile(path, file, options);
  if (response.status === 403) {
    const error = await toError(response);
    if (error.code !== 'CSRF_TOKEN_INVALID' || !(await refreshCsrfToken())) throw error;
    response = await sendFile(path, file, options);
  }
  if (!response.ok) throw await toError(response);
  return (await response.json()) as T;
}
