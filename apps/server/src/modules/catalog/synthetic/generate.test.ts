import { describe, expect, it } from 'vitest';
import { normalizeMarc21 } from '../normalize/marc21.js';
import { generateRecords } from './generate.js';

describe('synthetic MARC generator', () => {
  const records = [
    ...generateRecords(3000, { seed: 7, libraries: ['A', 'B', 'C', 'D'], branches: { A: ['A1', 'A2'] } }),
  ];

  it('is deterministic for a seed', () => {
    const again = [
      ...generateRecords(3000, { seed: 7, libraries: ['A', 'B', 'C', 'D'], branches: { A: ['A1', 'A2'] } }),
    ];
    expect(again).toEqual(records);
    const other = [...generateRecords(3000, { seed: 8, libraries: ['A', 'B', 'C', 'D'] })];
    expect(other).not.toEqual(records);
  });

  it('produces valid ISBNs, several languages and scripts, and works held by several libraries', () => {
    const normalized = records.map((r) => ({ library: r.library, n: normalizeMarc21(r.record) }));
    expect(normalized.every(({ n }) => n.isbns.length === 1)).toBe(true);
    const languages = new Set(normalized.flatMap(({ n }) => n.languages));
    expect(languages.size).toBeGreaterThanOrEqual(6);
    const titles = normalized.map(({ n }) => n.title);
    expect(titles.some((t) => /\p{Script=Han}/u.test(t))).toBe(true);
    expect(titles.some((t) => /\p{Script=Cyrillic}/u.test(t))).toBe(true);
    expect(titles.some((t) => /\p{Script=Arabic}/u.test(t))).toBe(true);
    const holders = new Map<string, Set<string>>();
    for (const { library, n } of normalized) holders.set(n.title, (holders.get(n.title) ?? new Set()).add(library));
    expect([...holders.values()].filter((s) => s.size >= 2).length).toBeGreaterThan(50);
  });
});
