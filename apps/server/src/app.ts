import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { accountsRoutes, createAccessResolver } from './modules/accounts/index.js';
import { circulationRoutes, guardianRoutes, privacyRoutes, registrationRoutes } from './modules/circulation/index.js';
import {
  catalogExportRoutes,
  catalogImportRoutes,
  catalogPageRoutes,
  catalogRoutes,
  catalogWorkRoutes,
} from './modules/catalog/index.js';
import { interopApiRoutes, interopRoutes } from './modules/interop/index.js';
import { catalogCataloguingRoutes, catalogItemRoutes } from './modules/catalog/index.js';
import type { AppContext } from './platform/context/context.js';
import type { Database } from './platform/db/database.js';
import { PlatformErrors } from './platform/errors.js';
import { installGuard } from './platform/http/guard.js';
import { installNulGuard } from './platform/http/nul-guard.js';
import { platformRoutes } from './platform/http/platform.routes.js';
import { OffsetClock, testClockRoutes } from './platform/testing/test-clock.js';
import { installProblemHandler, sendProblem } from './platform/http/problem.js';
import './platform/http/augment.js';

export interface AppDeps {
  ctx: AppContext;
  database: Pick<Database, 'ping'>;
  version: string;
  /** The built web app to serve at `/`; absent in API-only tests. */
  webRoot?: string | undefined;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the HTTP application without listening, so tests use `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { ctx } = deps;
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    // A union of accepted forms; the cast keeps Fastify's HTTP/1 overload.
    trustProxy: ctx.config.trustProxy as boolean,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installProblemHandler(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(fastifyCookie);
  // A per-process safety net against floods; sign-in throttling itself lives in the database.
  await app.register(fastifyRateLimit, { global: true, max: 1_200, timeWindow: '1 minute' });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Athenaeum API',
        version: deps.version,
        description: 'The JSON API of Athenaeum. Errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'athenaeum_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  installGuard(app, createAccessResolver(ctx));
  installNulGuard(app);

  app.get('/api/openapi.json', { config: { access: { kind: 'public' } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.register(async (scope) => platformRoutes(scope, { ctx, database: deps.database, version: deps.version }));
  await app.register(async (scope) => accountsRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => catalogRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => catalogExportRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => catalogWorkRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => interopRoutes(scope, ctx));
  await app.register(async (scope) => interopApiRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => catalogImportRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => circulationRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => privacyRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => guardianRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => registrationRoutes(scope, ctx), { prefix: '/api/v1' });
  if (ctx.config.testClock && ctx.clock instanceof OffsetClock) {
    const clock = ctx.clock;
    await app.register(async (scope) => testClockRoutes(scope, { clock, db: ctx.db }), { prefix: '/api/v1' });
  }
  await app.register(async (scope) => catalogCataloguingRoutes(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => catalogItemRoutes(scope, ctx), { prefix: '/api/v1' });

  const webRoot = deps.webRoot && fs.existsSync(path.join(deps.webRoot, 'index.html')) ? deps.webRoot : null;
  // Work pages get their title, description and JSON-LD in the HTML sent; sitemap and robots.txt.
  await app.register(async (scope) =>
    catalogPageRoutes(scope, ctx, { indexHtml: webRoot && path.join(webRoot, 'index.html') }),
  );
  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      index: false,
      maxAge: '1h',
      // Vite names built assets by content hash: they never change, so browsers keep them.
      setHeaders: (reply, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`))
          reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    // "/" is a directory to the static server; the app's page is index.html.
    app.get('/', { config: { access: { kind: 'public' } }, schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false }),
    );
  }
  app.setNotFoundHandler((request, reply) => {
    const isPage =
      request.method === 'GET' && !request.url.startsWith('/api/') && request.headers.accept?.includes('text/html');
    if (webRoot && isPage) {
      // The web app routes on the client: every page URL gets index.html.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    }
    return sendProblem(
      request,
      reply,
      PlatformErrors.NOT_FOUND,
      `Nothing at ${request.method} ${request.url.split('?')[0]}.`,
    );
  });

  return app;
}
