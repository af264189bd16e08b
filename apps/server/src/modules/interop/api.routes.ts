import { OaiRepositoryInfo } from '@athenaeum/contracts';
import type { AppContext } from '../../platform/context/context.js';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { copyTargetRoutes } from './copy/copy.routes.js';
import { harvestSourceRoutes } from './harvest/sources.routes.js';
import { interopPolicy as policy } from './interop.policy.js';
import { repositoryId } from './interop.routes.js';

/** The interop module's JSON API (mounted under /api/v1): harvest sources and copy-cataloguing targets. */
export async function interopApiRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/interop/oai',
    {
      config: { access: policy.protocolEndpoint },
      schema: {
        tags: ['interop'],
        summary:
          "This deployment's OAI-PMH endpoint and the prefix of its record identifiers (oai:<repository>:<record id>)",
        response: { 200: OaiRepositoryInfo },
      },
    },
    async () => ({ endpoint: '/oai', identifierPrefix: `oai:${repositoryId(ctx)}:` }),
  );
  await harvestSourceRoutes(app, ctx);
  await copyTargetRoutes(app, ctx);
}
