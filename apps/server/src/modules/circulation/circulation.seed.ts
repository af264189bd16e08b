import type { MarcRecord } from '@athenaeum/marc';
import { importRecords } from '../catalog/index.js';
import type { AppContext } from '../../platform/context/context.js';
import * as repo from './circulation.repository.js';
import { checkIn, checkOut } from './loans.service.js';
import { seedHoldsDemo } from './holds/index.js';
import { releaseDueQuarantines } from './quarantine.js';
import { registerPatron } from './patrons.service.js';
import { createPolicy, putBranchCalendar, updateCirculationSettings } from './rules.service.js';

type Network = { libraries: Record<string, string>; branches: Record<string, Record<string, string>> };

const BOOKS: Record<string, Array<[string, string, string]>> = {
  NOVLIB: [
    ['Война и мир', 'Толстой, Лев', 'rus'],
    ['Преступление и наказание', 'Достоевский, Фёдор', 'rus'],
    ['Мёртвые души', 'Гоголь, Николай', 'rus'],
    ['Евгений Онегин', 'Пушкин, Александр', 'rus'],
    ['Отцы и дети', 'Тургенев, Иван', 'rus'],
    ['Вишнёвый сад', 'Чехов, Антон', 'rus'],
  ],
  SPBIB: [
    ['Dom Casmurro', 'Machado de Assis', 'por'],
    ['Memórias póstumas de Brás Cubas', 'Machado de Assis', 'por'],
    ['O cortiço', 'Azevedo, Aluísio', 'por'],
    ['Iracema', 'Alencar, José de', 'por'],
    ['Os sertões', 'Cunha, Euclides da', 'por'],
    ['Triste fim de Policarpo Quaresma', 'Barreto, Lima', 'por'],
  ],
};

// Where the demo libraries are: Veliky Novgorod keeps Moscow time, São Paulo Brasília time.
const TIME_ZONES: Record<string, string> = { NOVLIB: 'Europe/Moscow', SPBIB: 'America/Sao_Paulo' };

const PATRONS: Array<[string, string, 'adult' | 'child' | 'senior' | 'staff' | 'institutional', string]> = [
  ['Anna', 'Ivanova', 'adult', ''],
  ['Misha', 'Petrov', 'child', 'Guardian: his mother, Olga Petrova.'],
  ['Vera', 'Sokolova', 'senior', 'Prefers large print.'],
  ['Pavel', 'Orlov', 'adult', ''],
];

function demoRecord(library: string, index: number, [title, author, lang]: [string, string, string], branch: string) {
  const barcode = `${library}-C-${String(index + 1).padStart(4, '0')}`;
  const record: MarcRecord = {
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '001', value: `CIRC-${library}-${index + 1}` },
      { tag: '003', value: 'ATHENAEUM-DEMO' },
      { tag: '008', value: `260101s2020    xx            000 0 ${lang} d` },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: author }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
      {
        tag: '952',
        ind1: ' ',
        ind2: ' ',
        subfields: [
          { code: 'p', value: barcode },
          { code: 'b', value: branch },
          { code: 'y', value: 'book' },
        ],
      },
    ],
  };
  return { record, position: { index } };
}

/**
 * The demo network's circulation: rules, calendars and settings (Novgorod keeps returned items
 * 72 hours in quarantine), four patrons per library (one blocked, one expired), a few copies with
 * known barcodes (`<LIBRARY>-C-0001` …) and loans: one due, one overdue, one returned.
 */
export async function seedCirculationDemo(ctx: AppContext, network: Network): Promise<void> {
  for (const [code, libraryId] of Object.entries(network.libraries)) {
    const books = BOOKS[code];
    const branches = Object.entries(network.branches[code] ?? {});
    if (!books || branches.length === 0) continue;
    await updateCirculationSettings(ctx, libraryId, { quarantineHours: code === 'NOVLIB' ? 72 : 0 });
    await createPolicy(ctx, libraryId, {
      patronCategory: null,
      itemType: null,
      loanDays: 21,
      renewals: 2,
      holdBlocksRenewal: true,
      maxLoans: 30,
      holdsAllowed: 20,
      dailyFine: null,
      fineCap: null,
      graceDays: 0,
    });
    await createPolicy(ctx, libraryId, {
      patronCategory: 'child',
      itemType: null,
      loanDays: 14,
      renewals: 3,
      holdBlocksRenewal: true,
      maxLoans: 10,
      holdsAllowed: 5,
      dailyFine: null,
      fineCap: null,
      graceDays: 0,
    });
    for (const [, branchId] of branches) {
      await putBranchCalendar(ctx, libraryId, branchId, {
        weeklyHours: [
          null,
          ...Array.from({ length: 5 }, () => ({ open: '09:00', close: '19:00' })),
          { open: '10:00', close: '16:00' },
        ],
        closedDates: [
          { date: '2026-12-25', reason: 'Christmas' },
          { date: '2027-01-01', reason: 'New Year' },
        ],
        timeZone: TIME_ZONES[code] ?? 'UTC',
      });
    }
    await importRecords(
      ctx,
      books.map((book, i) => demoRecord(code, i, book, branches[i % branches.length]![0])),
      {
        libraryId,
        flavour: 'marc21',
        sourceFormat: 'json',
        branches: new Map(branches),
      },
    );
    const prefix = code.slice(0, 3);
    const patrons = [];
    for (const [i, [given, family, category, notes]] of PATRONS.entries()) {
      patrons.push(
        await registerPatron(ctx, libraryId, {
          cardNumber: `${prefix}-${String(i + 1).padStart(4, '0')}`,
          category,
          givenName: given,
          familyName: family,
          preferredLanguage: code === 'NOVLIB' ? 'ru' : 'pt',
          staffNotes: notes,
          keepHistory: i === 2,
          expiresOn: i === 3 ? '2025-01-31' : undefined,
        }),
      );
    }
    await repo.insertBlock(repo.circulationDb(ctx.db), {
      organization_id: libraryId,
      patron_id: patrons[3]!.id,
      reason: 'Card reported stolen',
      blocked_by: null,
      blocked_at: ctx.clock.now(),
    });
    const [firstBranch] = branches[0]!.slice(1) as [string];
    const now = ctx.clock.now().getTime();
    const at = (daysAgo: number): AppContext => ({
      ...ctx,
      clock: { now: () => new Date(now - daysAgo * 86_400_000) },
    });
    const desk = { libraryId, branchId: firstBranch, actorId: null };
    await checkOut(at(5), { ...desk, cardNumber: patrons[0]!.cardNumber, barcode: `${code}-C-0001` });
    await checkOut(at(30), { ...desk, cardNumber: patrons[1]!.cardNumber, barcode: `${code}-C-0002` });
    await checkOut(at(20), { ...desk, cardNumber: patrons[2]!.cardNumber, barcode: `${code}-C-0003` });
    // Returned long enough ago that any quarantine is over; released by the first job run.
    await checkIn(at(10), { ...desk, barcode: `${code}-C-0003` });
  }
  await releaseDueQuarantines(ctx);
  // Holds and an inter-library loan in flight (holds/holds.seed.ts).
  await seedHoldsDemo(ctx, network);
}
