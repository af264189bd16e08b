// Demo holds and an inter-library loan in flight, on top of the circulation demo (its patrons,
// copies and loans): in Novgorod a patron waits for a copy that is on loan; a new Recife patron's
// request for a São Paulo copy has been approved and shipped.
import type { AppContext } from '../../../platform/context/context.js';
import { findItemsByBarcode } from '../../catalog/index.js';
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
  const [found] = (await findItemsByBarcode(ctx.db, barcode)).filter((f) => f.libraryId === libraryId);
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
  if (!wanted) return;
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
