import type { HoldOption, LinkedPatron } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { illChoices } from '../ill/RequestIllButton';
import { childHoldCards } from './holdCards';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [KAZAN, NOVGOROD, RECIFE, SAO_PAULO, RLA, FEBAB] = [1, 2, 3, 4, 5, 6].map(id) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const card = (patron: number, library: string, branches: string[] = [id(90)]): HoldOption => ({
  patronId: id(100 + patron),
  cardNumber: `C-${patron}`,
  library: { id: library, names: { en: library } },
  pickupBranches: branches.map((b) => ({ id: b, names: { en: b } })),
});
const lib = (members: string[]) => ({ members: members.map((m) => ({ id: m, kind: 'library' })) });
const groups = [
  { id: RLA, ...lib([NOVGOROD, KAZAN, RECIFE]) },
  { id: FEBAB, ...lib([SAO_PAULO, RECIFE]) },
];
const libraries = new Map([
  [KAZAN, { memberOf: [{ id: RLA }] }],
  [RECIFE, { memberOf: [{ id: RLA }, { id: FEBAB }] }],
  [SAO_PAULO, { memberOf: [{ id: FEBAB }] }],
]);

describe('inter-library loan choices on a work page', () => {
  it("offers the network's libraries holding the work to a card whose library holds none", () => {
    const choices = illChoices([card(1, KAZAN)], libraries, groups, [NOVGOROD, SAO_PAULO]);
    expect(choices.map((c) => [c.card.library.id, c.lenders])).toEqual([[KAZAN, [NOVGOROD]]]);
    // Recife belongs to both associations: both libraries may lend.
    expect(illChoices([card(2, RECIFE)], libraries, groups, [NOVGOROD, SAO_PAULO])[0]!.lenders).toEqual([
      NOVGOROD,
      SAO_PAULO,
    ]);
  });

  it('offers nothing when the card’s library holds a copy (a hold instead) or no network library does', () => {
    expect(illChoices([card(1, KAZAN)], libraries, groups, [KAZAN, NOVGOROD])).toEqual([]);
    expect(illChoices([card(3, SAO_PAULO)], libraries, groups, [NOVGOROD])).toEqual([]);
    // A card whose library is not loaded yet: nothing until it is.
    expect(illChoices([card(1, KAZAN)], new Map(), groups, [NOVGOROD])).toEqual([]);
  });
});

describe("a guardian's hold cards", () => {
  const child = (n: number, libraryId: string): LinkedPatron => ({
    id: id(200 + n),
    libraryId,
    givenName: 'Misha',
    familyName: 'Petrov',
    cardNumber: `CH-${n}`,
  });

  it("gives a child's card the pickup branches of the guardian's card at the same library", () => {
    const own = [card(1, NOVGOROD, [id(91), id(92)])];
    expect(childHoldCards(own, [child(1, NOVGOROD)])).toEqual([
      {
        ...own[0],
        patronId: id(201),
        cardNumber: 'CH-1',
        child: { givenName: 'Misha', familyName: 'Petrov' },
      },
    ]);
    expect(childHoldCards(own, [child(2, KAZAN)])).toEqual([]);
  });
});
