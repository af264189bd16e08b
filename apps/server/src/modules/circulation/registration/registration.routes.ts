import { JoinLibrary, LibraryMembership, Patron, SelfRegistrationOffer } from '@athenaeum/contracts';
import { z } from 'zod';
import { access } from '../../../platform/auth/access.js';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { circulationPolicy } from '../circulation.policy.js';
import * as registration from './registration.service.js';

const tags = ['circulation'];
const Library = z.strictObject({ id: z.uuid().describe('the library') });

const policy = {
  /** What a library offers online is public: the join page shows it before anyone signs in. */
  offer: access.public(),
  /** Joining is the person's own act: signed in with a session, not an API token. */
  join: access.session(),
  /** A person's own cards (their card numbers): a session, as every patron self-service route. */
  mine: circulationPolicy.self,
  /** Identity confirmation happens at the library's (`:id`) desk. */
  confirm: circulationPolicy.desk,
};

/** Self-registration online and identity confirmation at the desk, under /api/v1. */
export async function registrationRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/organizations/:id/self-registration',
    {
      config: { access: policy.offer },
      schema: {
        tags,
        summary: 'Whether this library accepts patrons registering online, and which categories they may choose',
        params: Library,
        response: { 200: SelfRegistrationOffer },
      },
    },
    async (request) => registration.selfRegistrationOffer(ctx, request.params.id),
  );
  app.get(
    '/me/library-memberships',
    {
      config: { access: policy.mine },
      schema: {
        tags,
        summary: 'My library cards: the patron records linked to my account',
        response: { 200: z.object({ items: z.array(LibraryMembership) }) },
      },
    },
    async (request) => ({ items: await registration.myLibraryMemberships(ctx, request.principal!.personId) }),
  );
  app.post(
    '/me/library-memberships',
    {
      config: { access: policy.join },
      schema: {
        tags,
        summary: 'Join a library online (verified e-mail; the library must accept registration online)',
        body: JoinLibrary,
        response: { 201: LibraryMembership },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await registration.joinLibrary(ctx, request.principal!.personId, request.body)),
  );
  app.post(
    '/organizations/:id/patrons/:patronId/confirmation',
    {
      config: { access: policy.confirm },
      schema: {
        tags,
        summary: 'Confirm at the desk the identity of a patron who registered online (they may then borrow)',
        params: Library.extend({ patronId: z.uuid() }),
        response: { 200: Patron },
      },
    },
    async (request) =>
      registration.confirmPatronIdentity(
        ctx,
        request.params.id,
        request.params.patronId,
        request.principal?.personId ?? null,
      ),
  );
}
