// Demo holds and an inter-library loan in flight, on top of the circulation demo (its patrons,
// copies and loans): in Novgorod a patron waits for a copy that is on loan; a new Recife patron's
// request for a São Paulo copy has been approved and shipped. Then the demo people's own cards
// (seedDemoPeople), so that signing in shows loans, holds, a child and an inter-library loan.
import { personIdByEmail } from '../../accounts/index.js';
import type { AppContext } from '../../../platform/context/context.js';
import { findItemsByBarcode } from '../../catalog/index.js';
import { linkGuardian } from '../guardians/guardians.service.js';
import { checkOut } from '../loans.service.js';
import { actOnIll, requestIll } from '../ill/ill.service.js';
import { registerPatron } from '../patrons.service.js';
import * as catalogReads from './copies.js';
import * as repo from './holds.repository.js';
import { placeHold } from './holds.service.js';

interface DemoNetwork {
  libraries: Record<string, string>;
  branches: Record<string, Record<string, string>>;
}

async function copyOf(ctx: AppContext, libraryId: string, barcode: string) {
  const [found] = await findItemsByBarcode(ctx.db, barcode, { libraryId });
  return found ? catalogReads.copyById(ctx.db, found.id) : undefined;
}

export async function seedHoldsDemo(ctx: AppContext, network: DemoNetwork): Promise<void> {
  const { NOVLIB, SPBIB, RECBIB } = network.libraries;
  if (!NOVLIB || !SPBIB || !RECBIB) return;
  const db = repo.holdsDb(ctx.db);

  // Novgorod: Vera Sokolova (NOV-0003) waits for the overdue copy of "Преступление и наказание".
  const lent = await copyOf(ctx, NOVLIB, 'NOVLIB-C-0002');
  const vera = await repo.patronByCard(db, NOVLIB, 'NOV-0003');
  const pickup = Object.values(network.branches.NOVLIB ?? {})[0];
  if (lent && vera && pickup) {
    await placeHold(ctx, { patronId: vera.id, workId: lent.work_id, pickupBranchId: pickup, actorId: null });
  }

  // Recife asks São Paulo (both in FEBAB) for "Triste fim de Policarpo Quaresma": approved, shipped.
  const wanted = await copyOf(ctx, SPBIB, 'SPBIB-C-0006');
  if (wanted) {
    const reader = await registerPatron(ctx, RECBIB, {
      cardNumber: 'REC-0001',
      category: 'adult',
      givenName: 'João',
      familyName: 'Cavalcanti',
      preferredLanguage: 'pt',
      staffNotes: '',
      keepHistory: false,
    });
    const request = await requestIll(
      ctx,
      { patronId: reader.id, workId: wanted.work_id, lenderLibraryId: SPBIB, note: 'Para um trabalho escolar' },
      { staffOf: RECBIB, patronIds: [], actorId: null },
    );
    const lender = { staffOf: SPBIB, patronIds: [], actorId: null };
    await actOnIll(ctx, request.id, { action: 'approve', itemId: wanted.id, loanDays: 28 }, lender);
    await actOnIll(ctx, request.id, { action: 'ship' }, lender);
  }
  await seedDemoPeople(ctx, network);
}

const DAY_MS = 86_400_000;

/**
 * The demo people's cards: Ivan Petrov (patron1) borrows in Novgorod, waits behind Vera for a copy
 * and is the guardian of Misha Petrov (NOV-0002, who has a loan to renew); Ana Lima (patron2)
 * borrows and waits in São Paulo; Layla Haddad (patron3) has a Kazan card and asked Novgorod for
 * "Мёртвые души", approved and shipped.
 */
async function seedDemoPeople(ctx: AppContext, network: DemoNetwork): Promise<void> {
  const { NOVLIB, SPBIB, KAZLIB } = network.libraries;
  const db = repo.holdsDb(ctx.db);
  const now = ctx.clock.now().getTime();
  const daysAgo = (days: number): AppContext => ({ ...ctx, clock: { now: () => new Date(now - days * DAY_MS) } });
  const branchOf = (code: string) => Object.values(network.branches[code] ?? {})[0];
  const card = async (
    libraryId: string,
    email: string,
    values: { cardNumber: string; givenName: string; familyName: string; preferredLanguage: 'ru' | 'pt' | 'ar' },
  ) => {
    const personId = await personIdByEmail(ctx, email);
    if (!personId) return undefined;
    return registerPatron(ctx, libraryId, {
      ...values,
      category: 'adult',
      staffNotes: '',
      keepHistory: false,
      personId,
    });
  };

  const novBranch = branchOf('NOVLIB');
  if (NOVLIB && novBranch) {
    const ivan = await card(NOVLIB, 'patron1@demo.athenaeum.org', {
      cardNumber: 'NOV-0005',
      givenName: 'Ivan',
      familyName: 'Petrov',
      preferredLanguage: 'ru',
    });
    const misha = await repo.patronByCard(db, NOVLIB, 'NOV-0002');
    const desk = { libraryId: NOVLIB, branchId: novBranch, actorId: null };
    if (ivan && misha) {
      await linkGuardian(ctx, NOVLIB, misha.id, ivan.id, null);
      await checkOut(daysAgo(4), { ...desk, cardNumber: ivan.cardNumber, barcode: 'NOVLIB-C-0006' });
      await checkOut(daysAgo(2), { ...desk, cardNumber: misha.card_number, barcode: 'NOVLIB-C-0004' });
      const lent = await copyOf(ctx, NOVLIB, 'NOVLIB-C-0002');
      if (lent)
        await placeHold(ctx, { patronId: ivan.id, workId: lent.work_id, pickupBranchId: novBranch, actorId: null });
    }
  }

  const spBranch = branchOf('SPBIB');
  if (SPBIB && spBranch) {
    const ana = await card(SPBIB, 'patron2@demo.athenaeum.org', {
      cardNumber: 'SPB-0005',
      givenName: 'Ana',
      familyName: 'Lima',
      preferredLanguage: 'pt',
    });
    if (ana) {
      await checkOut(daysAgo(3), {
        libraryId: SPBIB,
        branchId: spBranch,
        actorId: null,
        cardNumber: ana.cardNumber,
        barcode: 'SPBIB-C-0003',
      });
      const lent = await copyOf(ctx, SPBIB, 'SPBIB-C-0002');
      if (lent)
        await placeHold(ctx, { patronId: ana.id, workId: lent.work_id, pickupBranchId: spBranch, actorId: null });
    }
  }

  const asked = NOVLIB ? await copyOf(ctx, NOVLIB, 'NOVLIB-C-0003') : undefined;
  if (KAZLIB && NOVLIB && asked) {
    const layla = await card(KAZLIB, 'patron3@demo.athenaeum.org', {
      cardNumber: 'KAZ-0001',
      givenName: 'Layla',
      familyName: 'Haddad',
      preferredLanguage: 'ar',
    });
    if (!layla) return;
    const request = await requestIll(
      ctx,
      { patronId: layla.id, workId: asked.work_id, lenderLibraryId: NOVLIB },
      { staffOf: null, patronIds: [layla.id], actorId: null },
    );
    const lender = { staffOf: NOVLIB, patronIds: [], actorId: null };
    await actOnIll(ctx, request.id, { action: 'approve', itemId: asked.id, loanDays: 21 }, lender);
    await actOnIll(ctx, request.id, { action: 'ship' }, lender);
  }
}
