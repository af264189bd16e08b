import type { AppContext } from '../../platform/context/context.js';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { copyTargetRoutes } from './copy/copy.routes.js';
import { harvestSourceRoutes } from './harvest/sources.routes.js';

/** The interop module's JSON API (mounted under /api/v1): harvest sources and copy-cataloguing targets. */
export async function interopApiRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  await harvestSourceRoutes(app, ctx);
  await copyTargetRoutes(app, ctx);
}
