import type { LibraryRef, NetworkPatron, NetworkSettings } from '@athenaeum/contracts';
import { associatedLibraries } from '../../accounts/index.js';
import type { AppContext } from '../../../platform/context/context.js';
import type { AnyDb } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors.js';
import { CirculationErrors } from '../circulation.errors.js';
import { circulationDb, isoDay, openLoanCounts, type PatronRow } from '../circulation.repository.js';
import { NetworkErrors } from './network.errors.js';
import * as repo from './network.repository.js';

/** Both network choices off; fines in euros until the library says otherwise. */
export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = {
  lendsToNetworkPatrons: false,
  ownPatronsBorrowElsewhere: false,
  currency: 'EUR',
};

type SettingsRow = Awaited<ReturnType<typeof repo.settingsOf>>[number];
const present = (row: SettingsRow | undefined): NetworkSettings =>
  row
    ? {
        lendsToNetworkPatrons: row.lends_to_network_patrons,
        ownPatronsBorrowElsewhere: row.own_patrons_borrow_elsewhere,
        currency: row.currency,
      }
    : DEFAULT_NETWORK_SETTINGS;

/** Libraries' network settings, by library (defaults where none were saved). */
export async function networkSettingsOf(db: AnyDb, libraryIds: string[]): Promise<Map<string, NetworkSettings>> {
  const rows = await repo.settingsOf(repo.networkDb(db), libraryIds);
  return new Map(libraryIds.map((id) => [id, present(rows.find((r) => r.organization_id === id))]));
}

export async function getNetworkSettings(ctx: AppContext, libraryId: string): Promise<NetworkSettings> {
  return (await networkSettingsOf(ctx.db, [libraryId])).get(libraryId)!;
}

export async function updateNetworkSettings(
  ctx: AppContext,
  libraryId: string,
  input: {
    lendsToNetworkPatrons?: boolean | undefined;
    ownPatronsBorrowElsewhere?: boolean | undefined;
    currency?: string | undefined;
  },
): Promise<NetworkSettings> {
  const row = await repo.upsertSettings(
    repo.networkDb(ctx.db),
    libraryId,
    {
      lends_to_network_patrons: input.lendsToNetworkPatrons,
      own_patrons_borrow_elsewhere: input.ownPatronsBorrowElsewhere,
      currency: input.currency,
    },
    ctx.clock.now(),
  );
  return present(row);
}

/**
 * The patrons of the association's other libraries with this card whom this library may serve:
 * none when it does not lend to network patrons, and only those whose home library lets its
 * patrons borrow elsewhere. A library outside any association (or staff of one) finds nobody.
 */
export async function findNetworkPatrons(
  ctx: AppContext,
  libraryId: string,
  cardNumber: string,
): Promise<NetworkPatron[]> {
  const partners = await associatedLibraries(ctx.db, libraryId);
  const settings = await networkSettingsOf(ctx.db, [libraryId, ...partners.map((p) => p.id)]);
  if (!settings.get(libraryId)!.lendsToNetworkPatrons) return [];
  const open = partners.filter((p) => settings.get(p.id)!.ownPatronsBorrowElsewhere);
  const db = repo.networkDb(ctx.db);
  const patrons = await repo.patronsByCard(
    db,
    open.map((p) => p.id),
    cardNumber,
  );
  const ids = patrons.map((p) => p.id);
  const [blocked, loans] = await Promise.all([repo.blockedPatronIds(db, ids), openLoanCounts(circulationDb(db), ids)]);
  return patrons.map((p) => ({
    id: p.id,
    homeLibrary: open.find((l) => l.id === p.organization_id)!,
    cardNumber: p.card_number,
    category: p.category as NetworkPatron['category'],
    givenName: p.given_name,
    familyName: p.family_name,
    expiresOn: isoDay(p.expires_on),
    status: p.status,
    blocked: blocked.has(p.id),
    openLoans: loans.get(p.id) ?? 0,
  }));
}

/**
 * At check-out, the patron of another library of the association who holds this card (none of
 * this library's patrons does): refused when the card is unknown in the association, ambiguous
 * (several libraries have it; the desk names the home library), or when this library does not lend
 * to network patrons or the home library keeps its patrons at home. Returns the patron's id and
 * home library; the caller locks the patron and checks blocks, expiry and limits as for its own.
 */
export async function networkPatronForCheckOut(
  tx: AnyDb,
  input: { libraryId: string; cardNumber: string; homeLibraryId?: string | undefined },
): Promise<{ patron: PatronRow; homeLibrary: LibraryRef }> {
  const partners = await associatedLibraries(tx, input.libraryId);
  let candidates = partners;
  if (input.homeLibraryId) {
    candidates = partners.filter((p) => p.id === input.homeLibraryId);
    if (candidates.length === 0) {
      throw new AppError(
        NetworkErrors.CIRCULATION_NETWORK_NOT_ASSOCIATED,
        'That library is not in an association with this one, so its cards cannot be used here.',
        { homeLibraryId: input.homeLibraryId },
      );
    }
  }
  const db = repo.networkDb(tx);
  const found = await repo.patronsByCard(
    db,
    candidates.map((p) => p.id),
    input.cardNumber,
  );
  if (found.length === 0) {
    throw new AppError(
      CirculationErrors.CIRCULATION_PATRON_NOT_FOUND,
      `No patron has card ${input.cardNumber} here or at a library of the association.`,
      { cardNumber: input.cardNumber },
    );
  }
  if (found.length > 1) {
    const libraries = found.map((p) => partners.find((l) => l.id === p.organization_id)!);
    throw new AppError(
      NetworkErrors.CIRCULATION_NETWORK_CARD_AMBIGUOUS,
      `${found.length} libraries of the association have card ${input.cardNumber}; say which is the patron's home library.`,
      { cardNumber: input.cardNumber, libraries },
    );
  }
  const patron = found[0]!;
  const homeLibrary = partners.find((l) => l.id === patron.organization_id)!;
  const settings = await networkSettingsOf(tx, [input.libraryId, homeLibrary.id]);
  if (!settings.get(input.libraryId)!.lendsToNetworkPatrons) {
    throw new AppError(
      NetworkErrors.CIRCULATION_NETWORK_NOT_LENDING,
      "This library does not lend to other libraries' patrons.",
      { homeLibraryId: homeLibrary.id },
    );
  }
  if (!settings.get(homeLibrary.id)!.ownPatronsBorrowElsewhere) {
    throw new AppError(
      NetworkErrors.CIRCULATION_NETWORK_HOME_REFUSES,
      `The patron's home library (${homeLibrary.code}) does not let its patrons borrow at other libraries.`,
      { homeLibraryId: homeLibrary.id },
    );
  }
  return { patron, homeLibrary };
}
