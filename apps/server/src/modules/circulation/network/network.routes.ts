import { NetworkPatron, NetworkPatronQuery, NetworkSettings, UpdateNetworkSettings } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { circulationPolicy as policy } from '../circulation.policy.js';
import * as network from './network.service.js';

const tags = ['circulation'];
const Library = z.strictObject({ id: z.uuid().describe('the library') });

/** The network card: per-library choices and the desk's look-up of other libraries' patrons, under /api/v1. */
export async function networkRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/organizations/:id/network-settings',
    {
      config: { access: policy.configure },
      schema: {
        tags,
        summary: "Network card choices (lend to other libraries' patrons; let ours borrow elsewhere) and fine currency",
        params: Library,
        response: { 200: NetworkSettings },
      },
    },
    async (request) => network.getNetworkSettings(ctx, request.params.id),
  );
  app.patch(
    '/organizations/:id/network-settings',
    {
      config: { access: policy.configure },
      schema: {
        tags,
        summary: 'Change the network card choices or the fine currency',
        params: Library,
        body: UpdateNetworkSettings,
        response: { 200: NetworkSettings },
      },
    },
    async (request) => network.updateNetworkSettings(ctx, request.params.id, request.body),
  );
  app.get(
    '/organizations/:id/network-patrons',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary:
          "Patrons of the association's other libraries with this card whom this library may lend to (several: the card is used at more than one library)",
        params: Library,
        querystring: NetworkPatronQuery,
        response: { 200: z.object({ items: z.array(NetworkPatron) }) },
      },
    },
    async (request) => ({ items: await network.findNetworkPatrons(ctx, request.params.id, request.query.cardNumber) }),
  );
}
