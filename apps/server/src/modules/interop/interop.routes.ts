import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context/context.js';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { interopPolicy as policy } from './interop.policy.js';
import { handleOai, type OaiOptions } from './oai/provider.js';
import { handleSru, type SruOptions } from './sru/server.js';
import { parseSoapRequest, soapEnvelope } from './sru/soap.js';

const DOMAIN = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/;

/** Where this deployment is reached: PUBLIC_URL when set, else the address of the request. */
export function siteUrl(ctx: AppContext, request: FastifyRequest): string {
  return (ctx.config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}

/** The OAI repository identifier: PUBLIC_URL's host name when it is a domain name, else a fixed local name. */
export function repositoryId(ctx: AppContext): string {
  const host = ctx.config.publicUrl ? new URL(ctx.config.publicUrl).hostname : '';
  return DOMAIN.test(host) ? host : 'athenaeum.local';
}

function oaiOptions(ctx: AppContext, request: FastifyRequest): OaiOptions {
  const email = /[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+/.exec(ctx.config.mailFrom)?.[0] ?? 'no-reply@athenaeum.local';
  return {
    baseUrl: `${siteUrl(ctx, request)}/oai`,
    repositoryId: repositoryId(ctx),
    repositoryName: 'Athenaeum union catalogue',
    adminEmail: email,
    pageSize: 200,
    tokenLifetime: 48 * 3600,
  };
}

async function sendOai(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, params: URLSearchParams) {
  const out = await handleOai(ctx, params, oaiOptions(ctx, request));
  if (out.status === 503) {
    return reply
      .status(503)
      .header('retry-after', String(out.retryAfter ?? 5))
      .type('text/plain; charset=utf-8')
      .send('Records are being written; retry shortly.\n');
  }
  return reply.status(out.status).type('text/xml; charset=utf-8').send(out.xml);
}

function sruOptions(ctx: AppContext, request: FastifyRequest): SruOptions {
  const site = siteUrl(ctx, request);
  const url = new URL(site);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return {
    host: url.hostname,
    port,
    database: 'sru',
    siteUrl: site,
    defaultRecords: 10,
    maximumRecords: 100,
    maximumTerms: 100,
  };
}

async function sendSru(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, params: URLSearchParams) {
  const xml = await handleSru(ctx, params, sruOptions(ctx, request));
  return reply.type('text/xml; charset=utf-8').send(xml);
}

const queryOf = (request: FastifyRequest) =>
  new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');

/**
 * The protocol endpoints: OAI-PMH at /oai and SRU 1.2/2.0 at /sru (GET and form POST). They
 * answer a NUL character (U+0000) in an argument themselves, as an OAI-PMH error or an SRU
 * diagnostic, so the platform's NUL guard (a JSON problem) is off for them.
 */
export async function interopRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  // OAI-PMH and SRU clients POST application/x-www-form-urlencoded; kept as text and parsed
  // with URLSearchParams so repeated arguments stay visible (they are errors in OAI-PMH).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );

  app.get(
    '/oai',
    {
      config: { access: policy.protocolEndpoint, nulGuard: false },
      schema: { tags: ['interop'], summary: 'OAI-PMH 2.0 data provider (verbs as query arguments)', hide: false },
    },
    async (request, reply) => sendOai(ctx, request, reply, queryOf(request)),
  );

  app.post(
    '/oai',
    {
      config: { access: policy.protocolEndpoint, nulGuard: false },
      schema: { tags: ['interop'], summary: 'OAI-PMH 2.0 data provider (verbs in an x-www-form-urlencoded body)' },
    },
    async (request, reply) =>
      sendOai(ctx, request, reply, new URLSearchParams(typeof request.body === 'string' ? request.body : '')),
  );

  app.get(
    '/sru',
    {
      config: { access: policy.protocolEndpoint, nulGuard: false },
      schema: { tags: ['interop'], summary: 'SRU 1.2 and 2.0: explain, searchRetrieve (CQL), scan' },
    },
    async (request, reply) => sendSru(ctx, request, reply, queryOf(request)),
  );

  // SRW (SRU over SOAP) posts text/xml; kept as text for the SOAP reader.
  app.addContentTypeParser(
    ['text/xml', 'application/xml', 'application/soap+xml'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/sru',
    {
      config: { access: policy.protocolEndpoint, nulGuard: false },
      schema: {
        tags: ['interop'],
        summary:
          'SRU 1.2 and 2.0 with the parameters in an x-www-form-urlencoded body, or SRU 1.2 over SOAP (text/xml)',
      },
    },
    async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      if (!/^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) {
        const params = parseSoapRequest(body);
        // A SOAP request that cannot be read still gets an SRU answer: the diagnostic for a missing query.
        const xml = await handleSru(
          ctx,
          params ?? new URLSearchParams({ version: '1.2', operation: 'searchRetrieve' }),
          sruOptions(ctx, request),
        );
        return reply.type('text/xml; charset=utf-8').send(soapEnvelope(xml));
      }
      return sendSru(ctx, request, reply, new URLSearchParams(body));
    },
  );
}
