import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../lib/domain';
import common from '../locales/en/common.json';
import { renderInEnglish } from '../test/render-in';
import { asksBeforeLeaving, focusOnKeeping, useUnsavedChangesGuard } from './useUnsavedChangesGuard';

const render = await renderInEnglish('common', common);

const record = { pathname: '/cataloguing/records/1', search: {} };
const work = { pathname: '/works/7', search: {} };

describe('asking before unsaved changes are lost', () => {
  it('asks when leaving the page with unsaved changes', () => {
    expect(asksBeforeLeaving({ dirty: true, released: false, from: record, to: work })).toBe(true);
  });

  it('does not ask without unsaved changes, or once the page has let them go (saved, or discarded)', () => {
    expect(asksBeforeLeaving({ dirty: false, released: false, from: record, to: work })).toBe(false);
    expect(asksBeforeLeaving({ dirty: true, released: true, from: record, to: work })).toBe(false);
  });

  it('asks for other search parameters on the same page (another format of a new record), not for the same address', () => {
    const marc21 = { pathname: '/cataloguing/new', search: { library: 'L', flavour: 'marc21' } };
    const unimarc = { pathname: '/cataloguing/new', search: { library: 'L', flavour: 'unimarc' } };
    expect(asksBeforeLeaving({ dirty: true, released: false, from: marc21, to: unimarc })).toBe(true);
    expect(asksBeforeLeaving({ dirty: true, released: false, from: marc21, to: { ...marc21 } })).toBe(false);
    expect(
      asksBeforeLeaving({ dirty: true, released: false, from: record, to: { ...record, search: undefined } }),
    ).toBe(false);
  });
});

describe('focus after "Keep editing"', () => {
  const body = { isConnected: true, focus() {} } as unknown as HTMLElement;
  const link = { isConnected: true, focus() {} } as unknown as HTMLElement;
  const option = { isConnected: false, focus() {} } as unknown as HTMLElement;
  const heading = { isConnected: true, focus() {} } as unknown as HTMLElement;

  it('goes back to what had it when leaving was asked for (the link followed)', () => {
    expect(focusOnKeeping(link, body, () => heading)).toBe(link);
  });

  it('goes to the page’s fallback when that is gone (a list that closed) or was nothing', () => {
    expect(focusOnKeeping(option, body, () => heading)).toBe(heading);
    expect(focusOnKeeping(body, body, () => heading)).toBe(heading);
    expect(focusOnKeeping(null, body, () => heading)).toBe(heading);
  });

  it('is left where React Aria put it without a fallback', () => {
    expect(focusOnKeeping(option, body, undefined)).toBeNull();
  });
});

describe('the guard', () => {
  it('shows no dialog until a navigation is held back, even with unsaved changes', async () => {
    function Editor() {
      const guard = useUnsavedChangesGuard(true, { question: 'The record has unsaved changes.' });
      return (
        <main>
          <p>Editing</p>
          {guard.dialog}
        </main>
      );
    }
    const router = createRouter({
      routeTree: createRootRoute({ component: Editor }),
      history: createMemoryHistory({ initialEntries: ['/'] }),
    });
    await router.load();
    const html = render(<RouterProvider router={router} />);
    expect(html).toContain('<main><p>Editing</p></main>');
    expect(html).not.toContain('alertdialog');
  });
});

describe('the dialog’s words', () => {
  type Unsaved = { unsaved: { title: string; leave: string; keep: string } };
  const texts = import.meta.glob<Unsaved>('../locales/*/common.json', { eager: true, import: 'default' });

  it.each(SUPPORTED_LOCALES)('are there in %s, translated', (language) => {
    const { unsaved } = texts[`../locales/${language}/common.json`]!;
    for (const key of ['title', 'leave', 'keep'] as const) {
      expect(unsaved[key]).toBeTruthy();
      if (language !== 'en') expect(unsaved[key]).not.toBe(common.unsaved[key]);
    }
  });
});
