import { NotificationPrefs, NotificationPrefsBody } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { HoldsErrors } from '../holds/holds.errors.js';
import { holdsPolicy, myPatrons } from '../holds/holds.routes.js';
import { getPrefs, setPrefs } from './notifications.service.js';

const PatronParams = z.strictObject({ patronId: z.uuid() });

/** A patron's choice of e-mails, per library card, under /api/v1/me/patrons/:patronId/notifications. */
export async function notificationRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  const own = async (request: Parameters<typeof myPatrons>[1], patronId: string) => {
    if (!(await myPatrons(ctx, request)).some((p) => p.id === patronId)) {
      throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_FOUND, 'This is not one of your library cards.');
    }
  };
  app.get(
    '/me/patrons/:patronId/notifications',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['holds'],
        summary: 'Which e-mails I get for this card',
        params: PatronParams,
        response: { 200: NotificationPrefs },
      },
    },
    async (request) => (await own(request, request.params.patronId), getPrefs(ctx, request.params.patronId)),
  );
  app.patch(
    '/me/patrons/:patronId/notifications',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['holds'],
        summary:
          'Choose which e-mails I get (hold ready, pickup reminder, due soon and how many days before, overdue, inter-library loan)',
        params: PatronParams,
        body: NotificationPrefsBody,
        response: { 200: NotificationPrefs },
      },
    },
    async (request) => (
      await own(request, request.params.patronId),
      setPrefs(ctx, request.params.patronId, request.body)
    ),
  );
}
