import { CataloguingRecord, RecordCreate, RecordSave } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { catalogPolicy as policy } from '../catalog.policy.js';
import { createRecord, getRecordForEditing, saveRecord } from './record-editing.service.js';

const RecordParams = z.strictObject({ id: z.uuid().describe('the record') });

/** Staff cataloguing of records: read for editing, save (optimistic concurrency), create. */
export async function catalogCataloguingRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/catalog/records/:id/cataloguing',
    {
      config: { access: policy.editRecord },
      schema: {
        tags: ['catalog'],
        summary: 'A record as staff edit it: MARC, version, normalized fields and items (staff of its library)',
        params: RecordParams,
        response: { 200: CataloguingRecord },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return getRecordForEditing(ctx, request.principal!, request.params.id);
    },
  );

  app.put(
    '/catalog/records/:id',
    {
      config: { access: policy.editRecord },
      schema: {
        tags: ['catalog'],
        summary: 'Save an edited record (whole MARC)',
        description:
          'Send the version read with the record as expectedVersion: 409 if someone saved it meanwhile. ' +
          'A record with problems is refused with 422 and `problems` (codes with field and subfield positions); nothing changes.',
        params: RecordParams,
        body: RecordSave,
        response: { 200: CataloguingRecord },
      },
    },
    async (request) => saveRecord(ctx, request.principal!, request.params.id, request.body),
  );

  app.post(
    '/organizations/:id/catalog/records',
    {
      config: { access: policy.createRecord },
      schema: {
        tags: ['catalog'],
        summary: "Add a record written in the editor to the library's catalogue",
        params: z.strictObject({ id: z.uuid().describe('the library') }),
        body: RecordCreate,
        response: { 201: CataloguingRecord },
      },
    },
    async (request, reply) => {
      const created = await createRecord(ctx, request.principal!, request.params.id, request.body);
      return reply.code(201).header('location', `/api/v1/catalog/records/${created.id}/cataloguing`).send(created);
    },
  );
}
