import { CataloguingItem, ItemCreate, ItemPatch } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { catalogPolicy as policy } from '../catalog.policy.js';
import { addItem, removeItem, updateItem } from './items.service.js';

const Id = z.strictObject({ id: z.uuid() });

/** A record's copies, added, changed and removed by staff of the record's library. */
export async function catalogItemRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.post(
    '/catalog/records/:id/items',
    {
      config: { access: policy.editRecord },
      schema: {
        tags: ['catalog'],
        summary: 'Add a copy of a record (staff of its library); 409 when the barcode is taken in the library',
        params: Id,
        body: ItemCreate,
        response: { 201: CataloguingItem },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addItem(ctx, request.principal!, request.params.id, request.body)),
  );

  app.patch(
    '/catalog/items/:id',
    {
      config: { access: policy.editRecord },
      schema: {
        tags: ['catalog'],
        summary: "Change a copy's barcode, branch, call number, location, type, status or notes",
        description:
          'Send the details as read before the change as `expected`: 409 CATALOG_ITEM_CHANGED (with `changed` and ' +
          'the `current` item) if someone changed one of them meanwhile. Circulation changing the status does not ' +
          'count unless `expected` names the status.',
        params: Id,
        body: ItemPatch,
        response: { 200: CataloguingItem },
      },
    },
    async (request) => updateItem(ctx, request.principal!, request.params.id, request.body),
  );

  app.delete(
    '/catalog/items/:id',
    {
      config: { access: policy.editRecord },
      schema: {
        tags: ['catalog'],
        summary: 'Delete a copy (refused while it is on loan, in transit or on the hold shelf)',
        params: Id,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request) => {
      await removeItem(ctx, request.principal!, request.params.id);
      return { ok: true as const };
    },
  );
}
