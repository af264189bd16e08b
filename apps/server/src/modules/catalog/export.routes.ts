import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context/context.js';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { catalogPolicy as policy } from './catalog.policy.js';
import { deleteRecord } from './delete-record.js';
import {
  exportLibrary,
  exportRecord,
  exportReport,
  MAX_NAMED_SKIPPED,
  type ExportLinks,
} from './export/export.service.js';
import { EXPORT_FORMATS } from './export/formats.js';

const Format = z
  .enum(EXPORT_FORMATS)
  .describe('marcxml, marc21 (ISO 2709), dc (Dublin Core XML), jsonld (schema.org), ris, bibtex');
const uuidList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v),
  z.array(z.uuid()).min(1).max(1000),
);

/** The address records are linked at: PUBLIC_URL when set, else the address the request came to. */
export function linksFor(ctx: AppContext, request: FastifyRequest): ExportLinks {
  const base = ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
  return { baseUrl: base.replace(/\/+$/, '') };
}

const ExportQuery = z.strictObject({ library: z.uuid(), format: Format, ids: uuidList.optional() });

const ExportReportBody = z.object({
  format: Format,
  written: z.number().int(),
  skipped: z.number().int(),
  skippedRecords: z
    .array(z.object({ id: z.uuid(), reason: z.string() }))
    .describe(
      `The records left out (the first ${MAX_NAMED_SKIPPED.toLocaleString('en')}), in id order, with the reason`,
    ),
});

const attachment = (filename: string) => `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`;

/** Record exports (public), library exports (staff), and record deletion under /api/v1/catalog. */
export async function catalogExportRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/catalog/records/:id',
    {
      config: { access: policy.exportRecord },
      schema: {
        tags: ['catalog'],
        summary: 'A record as MARCXML, MARC 21, Dublin Core, schema.org JSON-LD, RIS or BibTeX',
        params: z.strictObject({ id: z.uuid() }),
        querystring: z.strictObject({ format: Format }),
      },
    },
    async (request, reply) => {
      const out = await exportRecord(ctx, request.params.id, request.query.format, linksFor(ctx, request));
      return reply
        .type(out.contentType)
        .header('content-disposition', attachment(out.filename))
        .send(typeof out.body === 'string' ? out.body : Buffer.from(out.body));
    },
  );

  app.get(
    '/catalog/exports',
    {
      config: { access: policy.exportLibrary },
      schema: {
        tags: ['catalog'],
        summary: "A library's records (all, or the ids given) as one file, streamed",
        description:
          'A record the format cannot hold (in MARC 21 / ISO 2709: over 99,999 bytes, a field over 9,999, ' +
          'or a delimiter character in a value) is left out so that the rest of the file is still written. ' +
          'The file cannot say so once it is streaming: `GET /api/v1/catalog/exports/report` with the same ' +
          'query tells how many records were written and which were left out, and why.',
        querystring: ExportQuery,
      },
    },
    async (request, reply) => {
      const out = await exportLibrary(ctx, {
        libraryId: request.query.library,
        format: request.query.format,
        ids: request.query.ids,
        links: linksFor(ctx, request),
      });
      return reply
        .type(out.contentType)
        .header('content-disposition', attachment(out.filename))
        .header('cache-control', 'no-store')
        .send(Readable.from(out.chunks));
    },
  );

  app.get(
    '/catalog/exports/report',
    {
      config: { access: policy.exportLibrary },
      schema: {
        tags: ['catalog'],
        summary: 'What the export with the same query writes and leaves out (records the format cannot hold)',
        querystring: ExportQuery,
        response: { 200: ExportReportBody },
      },
    },
    async (request) =>
      exportReport(ctx, { libraryId: request.query.library, format: request.query.format, ids: request.query.ids }),
  );

  app.delete(
    '/catalog/records/:id',
    {
      config: { access: policy.deleteRecord },
      schema: {
        tags: ['catalog'],
        summary: "Delete a record from its library's catalogue (remembered for OAI-PMH harvesters)",
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request) => {
      await deleteRecord(ctx, request.principal!, request.params.id);
      return { ok: true as const };
    },
  );
}
