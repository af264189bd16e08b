/** How one error code is answered over HTTP. */
export interface ErrorSpec {
  status: number;
  title: string;
}

const registry = new Map<string, ErrorSpec>();

/**
 * Registers a module's error codes (one place per module: `<domain>.errors.ts`) and returns
 * them typed, so `new AppError(codes.X, …)` is checked by the compiler.
 */
export function defineErrors<const T extends Record<string, ErrorSpec>>(specs: T): { [K in keyof T]: K } {
  const codes = {} as { [K in keyof T]: K };
  for (const [code, spec] of Object.entries(specs)) {
    const existing = registry.get(code);
    if (existing && (existing.status !== spec.status || existing.title !== spec.title)) {
      throw new Error(`Error code ${code} is defined twice`);
    }
    registry.set(code, spec);
    (codes as Record<string, string>)[code] = code;
  }
  return codes;
}

/** Every registered code with its HTTP status and title; used to document the API. */
export function listErrorCodes(): Array<[string, ErrorSpec]> {
  return [...registry.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function errorSpec(code: string): ErrorSpec {
  return registry.get(code) ?? { status: 500, title: 'Internal error' };
}

/** A failure a use case reports on purpose: a stable code, a human message, optional details. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Codes of the platform itself. */
export const PlatformErrors = defineErrors({
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  NUL_CHARACTER: { status: 400, title: 'The request contains a NUL character (U+0000)' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  AUTHENTICATION_REQUIRED: { status: 401, title: 'Sign-in required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  SESSION_REQUIRED: { status: 403, title: 'This needs a signed-in session, not an API token' },
  CSRF_TOKEN_INVALID: { status: 403, title: 'Missing or invalid CSRF token' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'The database is unavailable' },
  INTERNAL: { status: 500, title: 'Internal error' },
});
