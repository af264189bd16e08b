import type { FastifyInstance } from 'fastify';
import { PlatformErrors } from '../errors.js';
import { sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * false: this route answers U+0000 itself, in its protocol's own error format (OAI-PMH,
     * SRU), instead of with the NUL_CHARACTER problem; it must then keep NUL out of what it stores.
     */
    nulGuard?: boolean;
  }
}

const NUL = '\u0000';
const MESSAGE = 'contains the NUL character (U+0000), which text cannot hold';
const NAME_MESSAGE = 'has a field name containing the NUL character (U+0000)';
// Enough to point at the problem; a body full of NULs need not be listed in full.
const MAX_REPORTED = 20;

const isJson = (contentType: unknown) =>
  typeof contentType === 'string' && /^\s*application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType);

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

type Issue = { path: string; message: string };

/** Collects the paths (`body.fields.3.subfields.0.value`) of every string holding U+0000. */
function findNul(value: unknown, path: string, out: Issue[], map = false): void {
  if (out.length >= MAX_REPORTED) return;
  if (typeof value === 'string') {
    if (value.includes(NUL)) out.push({ path, message: MESSAGE });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => findNul(item, `${path}.${index}`, out));
    return;
  }
  // Streams, buffers and other parsed non-JSON bodies are not text: their bytes are left alone.
  if (!map && !isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (out.length >= MAX_REPORTED) return;
    const name = key.replaceAll(NUL, '\\u0000');
    if (key.includes(NUL)) out.push({ path: `${path}.${name}`, message: NAME_MESSAGE });
    findNul(item, `${path}.${name}`, out);
  }
}

/**
 * Refuses, for every route, a request whose route parameters, query string or JSON body hold
 * U+0000 (PostgreSQL cannot store it in text or jsonb), with 400 NUL_CHARACTER naming each field,
 * before the route's own validation and before anything is written. Bodies that are not JSON
 * (streamed uploads, XML, forms) are not inspected; their query parameters are. A route with
 * `config: { nulGuard: false }` is skipped: it answers NUL itself.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (request.routeOptions.config.nulGuard === false) return;
    const issues: Issue[] = [];
    // Fastify's parsed query and parameters are prototype-less maps of strings (or string lists).
    findNul(request.params, 'params', issues, true);
    findNul(request.query, 'querystring', issues, true);
    if (isJson(request.headers['content-type'])) findNul(request.body, 'body', issues);
    if (issues.length === 0) return;
    const detail = issues.map((e) => `${e.path}: ${e.message}`).join('; ');
    return sendProblem(request, reply, PlatformErrors.NUL_CHARACTER, detail, { errors: issues });
  });
}
