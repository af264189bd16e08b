import { Readable } from 'node:stream';
import { CatalogImport, CatalogImportUploadQuery, Page, PageQuery } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../platform/context/context.js';
import { AppError } from '../../platform/errors.js';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { CatalogErrors } from './catalog.errors.js';
import { catalogPolicy as policy } from './catalog.policy.js';
import { getImport, importReport, listImports, uploadImport } from './imports.service.js';

const LibraryParams = z.strictObject({ id: z.uuid().describe('the library') });
const ImportParams = z.strictObject({ id: z.uuid().describe('the library'), importId: z.uuid() });

/** Catalogue imports uploaded by a library's staff, under /api/v1/organizations/:id/catalog-imports. */
export async function catalogImportRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  // In this scope a request body is the uploaded file itself, whatever its type: it is streamed
  // to disk by the use case, never parsed or held in memory (the global body limit is for JSON).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.post(
    '/organizations/:id/catalog-imports',
    {
      config: {
        access: policy.importRecords,
        // A per-process flood guard per person (after sign-in is checked); the hourly quota per
        // library (CATALOG_IMPORTS_PER_HOUR) is kept in the database.
        rateLimit: {
          max: 30,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (request) => request.principal?.personId ?? request.ip,
        },
      },
      schema: {
        tags: ['catalog'],
        summary: "Upload a MARC file into the library's catalogue; it is imported by a background job",
        description:
          'The request body is the file itself (for example `curl --data-binary @records.mrc -H "content-type: application/octet-stream"`). ' +
          'Copies are read from the holdings field given as ?holdings= (952, 852, 949 or none; by default the first of them present in each record). ' +
          'The records of an ISO 2709 file are decoded from the character set given as ?encoding= (utf-8, marc-8, iso-5426, windows-1251 or iso-8859-1) when their leader/09 or UNIMARC field 100 say it wrongly; by default from what each record says. It is refused (400) for MARCXML and MARC-in-JSON. ' +
          'Answers 202 with the import; follow its progress at the Location given.',
        params: LibraryParams,
        querystring: CatalogImportUploadQuery,
        response: { 202: CatalogImport },
      },
    },
    async (request, reply) => {
      const type = request.headers['content-type'] ?? '';
      if (/^multipart\//i.test(type) || /^application\/x-www-form-urlencoded/i.test(type)) {
        throw new AppError(
          CatalogErrors.CATALOG_IMPORT_MEDIA_TYPE,
          'Send the file itself as the request body (content-type application/octet-stream) and its name as ?filename=; forms are not read.',
        );
      }
      const length = Number(request.headers['content-length']);
      const created = await uploadImport(ctx, {
        libraryId: request.params.id,
        personId: request.principal?.personId ?? null,
        filename: request.query.filename,
        format: request.query.format,
        holdings: request.query.holdings,
        encoding: request.query.encoding,
        body: request.body as Readable,
        declaredBytes: Number.isFinite(length) ? length : null,
      });
      return reply
        .status(202)
        .header('location', `/api/v1/organizations/${created.libraryId}/catalog-imports/${created.id}`)
        .send(created);
    },
  );

  app.get(
    '/organizations/:id/catalog-imports',
    {
      config: { access: policy.importRecords },
      schema: {
        tags: ['catalog'],
        summary: "The library's catalogue imports, newest first, with status and counts",
        params: LibraryParams,
        querystring: PageQuery,
        response: { 200: Page(CatalogImport) },
      },
    },
    async (request) => listImports(ctx, request.params.id, request.query.page, request.query.pageSize),
  );

  app.get(
    '/organizations/:id/catalog-imports/:importId',
    {
      config: { access: policy.importRecords },
      schema: {
        tags: ['catalog'],
        summary:
          'One import with its live progress: records processed, added, updated, unchanged, rejected; bytes read',
        params: ImportParams,
        response: { 200: CatalogImport },
      },
    },
    async (request, reply) => {
      const found = await getImport(ctx, request.params.id, request.params.importId);
      return reply.header('cache-control', 'no-store').send(found);
    },
  );

  app.get(
    '/organizations/:id/catalog-imports/:importId/report',
    {
      config: { access: policy.importRecords },
      schema: {
        tags: ['catalog'],
        summary: 'The rejected records of an import, with position and reason, as tab-separated values',
        params: ImportParams,
      },
    },
    async (request, reply) => {
      const report = await importReport(ctx, request.params.id, request.params.importId);
      return reply
        .type('text/tab-separated-values; charset=utf-8')
        .header('content-disposition', `attachment; filename="${report.filename.replace(/[^\w.-]/g, '_')}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(report.chunks));
    },
  );
}
