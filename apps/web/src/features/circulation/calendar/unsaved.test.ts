import type { BranchCalendar } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { calendarKey, calendarOfForm, chooseBranch, type BranchChoice, type Day } from './unsaved';

const saved: BranchCalendar = {
  weeklyHours: [null, { open: '09:00', close: '18:00' }, null, null, null, null, { open: '10:00', close: '14:00' }],
  closedDates: [
    { date: '2026-12-25', reason: 'Christmas' },
    { date: '2026-01-01', reason: '' },
  ],
  timeZone: 'Europe/Lisbon',
};

// The form as it opens on `saved`: closed days keep the default times.
const formDays = (): Day[] =>
  saved.weeklyHours.map((d) => ({ open: d !== null, opens: d?.open ?? '09:00', closes: d?.close ?? '18:00' }));

const unchanged = () => calendarKey(calendarOfForm(' Europe/Lisbon ', formDays(), [...saved.closedDates].reverse()));

describe('unsaved calendar changes', () => {
  it('are none while the form says what was loaded (spaces round the zone and the order of closed days aside)', () => {
    expect(unchanged()).toBe(calendarKey(saved));
  });

  it('are none when a day is closed and opened again with its times, or a closed day’s hidden times change', () => {
    const days = formDays();
    days[0] = { open: false, opens: '07:00', closes: '08:00' };
    days[1] = { open: true, opens: '09:00', closes: '18:00' };
    expect(calendarKey(calendarOfForm('Europe/Lisbon', days, saved.closedDates))).toBe(calendarKey(saved));
  });

  it('are there when hours, a day, the zone or the closed days change', () => {
    const base = calendarKey(saved);
    const later = formDays();
    later[1] = { open: true, opens: '09:00', closes: '19:00' };
    expect(calendarKey(calendarOfForm('Europe/Lisbon', later, saved.closedDates))).not.toBe(base);
    const opened = formDays();
    opened[0] = { ...opened[0]!, open: true };
    expect(calendarKey(calendarOfForm('Europe/Lisbon', opened, saved.closedDates))).not.toBe(base);
    expect(calendarKey(calendarOfForm('Europe/Madrid', formDays(), saved.closedDates))).not.toBe(base);
    expect(calendarKey(calendarOfForm('Europe/Lisbon', formDays(), saved.closedDates.slice(1)))).not.toBe(base);
    const renamed = [{ date: '2026-12-25', reason: 'Natal' }, saved.closedDates[1]!];
    expect(calendarKey(calendarOfForm('Europe/Lisbon', formDays(), renamed))).not.toBe(base);
  });

  it('count a calendar without a zone as UTC, as the form shows it', () => {
    const { timeZone: _, ...zoneless } = saved;
    expect(calendarKey(calendarOfForm('UTC', formDays(), saved.closedDates))).toBe(calendarKey(zoneless));
  });
});

describe('choosing another branch', () => {
  const on: BranchChoice = { branch: 'main', asking: null };

  it('switches at once when nothing is unsaved', () => {
    expect(chooseBranch(on, { type: 'choose', branch: 'north', dirty: false })).toEqual({
      branch: 'north',
      asking: null,
    });
  });

  it('with unsaved changes asks first and stays on the branch', () => {
    expect(chooseBranch(on, { type: 'choose', branch: 'north', dirty: true })).toEqual({
      branch: 'main',
      asking: 'north',
    });
  });

  it('keeps the branch (and so its edits) when the librarian cancels', () => {
    const asking = chooseBranch(on, { type: 'choose', branch: 'north', dirty: true });
    expect(chooseBranch(asking, { type: 'keep' })).toEqual(on);
  });

  it('switches to the branch asked about when the librarian discards', () => {
    const asking = chooseBranch(on, { type: 'choose', branch: 'north', dirty: true });
    expect(chooseBranch(asking, { type: 'discard' })).toEqual({ branch: 'north', asking: null });
  });

  it('does nothing for the branch already shown, or a discard nobody was asked about', () => {
    expect(chooseBranch(on, { type: 'choose', branch: 'main', dirty: true })).toEqual(on);
    expect(chooseBranch(on, { type: 'discard' })).toEqual(on);
  });
});
