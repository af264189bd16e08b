import {
  ClusterDecisionResult,
  MergeWorksBody,
  SplitWorkBody,
  UndoClusterDecisionBody,
  WorkClustering,
} from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { catalogPolicy as policy } from '../catalog.policy.js';
import { getClustering } from './clustering.service.js';
import { mergeWorks } from './merge-works.js';
import { splitWork } from './split-work.js';
import { undoDecision } from './undo-decision.js';

const params = z.strictObject({ id: z.uuid() });

/** Staff review, split and merge of works under /api/v1/catalog/works/:id. */
export async function catalogWorkRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/catalog/works/:id/clustering',
    {
      config: { access: policy.curateWorks },
      schema: {
        tags: ['catalog'],
        summary: "A work's records with their library, match score and reason, pinned flag, and its staff decisions",
        params,
        response: { 200: WorkClustering },
      },
    },
    async (request) => getClustering(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/catalog/works/:id/split',
    {
      config: { access: policy.curateWorks },
      schema: {
        tags: ['catalog'],
        summary: 'Move records of the work to a new work (kept apart through re-imports)',
        params,
        body: SplitWorkBody,
        response: { 200: ClusterDecisionResult },
      },
    },
    async (request) => splitWork(ctx, request.principal!, request.params.id, request.body.recordIds),
  );

  app.post(
    '/catalog/works/:id/merge',
    {
      config: { access: policy.curateWorks },
      schema: {
        tags: ['catalog'],
        summary: 'Move every record of the work into another work (kept together through re-imports)',
        params,
        body: MergeWorksBody,
        response: { 200: ClusterDecisionResult },
      },
    },
    async (request) => mergeWorks(ctx, request.principal!, request.params.id, request.body.intoWorkId),
  );

  app.post(
    '/catalog/works/:id/undo',
    {
      config: { access: policy.curateWorks },
      schema: {
        tags: ['catalog'],
        summary: "Undo the work's newest split or merge, while its records are still where it put them",
        params,
        body: UndoClusterDecisionBody,
        response: { 200: ClusterDecisionResult },
      },
    },
    async (request) => undoDecision(ctx, request.principal!, request.params.id, request.body.decisionId),
  );
}
