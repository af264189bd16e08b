import { Health, OutboxEmail, Page, PageQuery } from '@athenaeum/contracts';
import { z } from 'zod';
import { access } from '../auth/access.js';
import type { AppContext } from '../context/context.js';
import type { Database } from '../db/database.js';
import { listErrorCodes } from '../errors.js';
import { listOutbox } from '../mail/outbox.js';
import type { FastifyZodInstance } from './types.js';

/** Health, the e-mail outbox for administrators, and the error-code registry. */
export async function platformRoutes(
  app: FastifyZodInstance,
  deps: { ctx: AppContext; database: Pick<Database, 'ping'>; version: string },
) {
  app.get(
    '/api/health',
    {
      config: { access: access.public() },
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database reachability',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const up = await deps.database.ping();
      return reply
        .status(up ? 200 : 503)
        .send({ status: up ? 'ok' : 'unavailable', database: deps.ctx.databaseKind, version: deps.version });
    },
  );

  app.get(
    '/api/v1/admin/emails',
    {
      config: { access: access.platformAdmin() },
      schema: {
        tags: ['platform'],
        summary: 'E-mails sent or kept in the outbox (no SMTP configured)',
        querystring: PageQuery.extend({ to: z.string().max(254).optional() }),
        response: { 200: Page(OutboxEmail) },
      },
    },
    async (request) => listOutbox(deps.ctx.db, request.query),
  );

  app.get(
    '/api/v1/errors',
    {
      config: { access: access.public() },
      schema: {
        tags: ['platform'],
        summary: 'Every error code the API answers with',
        response: {
          200: z.object({ items: z.array(z.object({ code: z.string(), status: z.number(), title: z.string() })) }),
        },
      },
    },
    async () => ({ items: listErrorCodes().map(([code, spec]) => ({ code, ...spec })) }),
  );
}
