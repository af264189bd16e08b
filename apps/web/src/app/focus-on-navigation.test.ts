import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { focusPageHeading, headingStep } from './focus-on-navigation';

describe('where focus goes while a page loads', () => {
  const main = { name: 'main' };
  const body = { name: 'body' };
  const heading = { name: 'h1' };
  const link = { name: 'a link the reader went to' };
  const at = (active: object | null, rest: Partial<Parameters<typeof headingStep<object>>[0]> = {}) =>
    headingStep<object>({ active, main, body, heading: null, placed: null, placedGone: false, ...rest });

  it('the heading that came takes focus when focus is still where the navigation left it', () => {
    expect(at(main, { heading, placed: main })).toBe('focus');
    expect(at(body, { heading })).toBe('focus');
    expect(at(null, { heading })).toBe('focus');
  });

  it('waits while the page is still loading, and once its heading has focus', () => {
    expect(at(main, { placed: main })).toBe('wait');
    expect(at(body)).toBe('wait');
    expect(at(heading, { heading, placed: heading })).toBe('wait');
  });

  it('gives a heading that replaced the one focused focus again (the page changed while loading)', () => {
    const newer = { name: 'the loaded page’s h1' };
    expect(at(body, { heading: newer, placed: heading, placedGone: true })).toBe('focus');
    expect(at(body, { placed: heading, placedGone: true })).toBe('wait');
  });

  it('never takes focus from something the reader moved to', () => {
    expect(at(link, { heading, placed: main })).toBe('stop');
    expect(at(link, { placed: main })).toBe('stop');
    expect(at(link, { heading, placed: heading })).toBe('stop');
  });

  it('stops when the reader clicked elsewhere (focus left what is still there)', () => {
    expect(at(body, { heading, placed: heading })).toBe('stop');
    expect(at(body, { heading, placed: main })).toBe('stop');
  });
});

type Fake = { name: string; isConnected: boolean; focus: () => void };

/** Just enough of a document: a <main> whose h1 comes later, elements that record being focused. */
function fakePage() {
  const focused: string[] = [];
  const body = { name: 'body' };
  const document = {
    activeElement: body as unknown,
    body,
    getElementById: (id: string) => (id === 'main' ? page.main : null),
  };
  const element = (name: string): Fake => {
    const el: Fake = {
      name,
      isConnected: true,
      focus: () => {
        focused.push(name);
        document.activeElement = el;
      },
    };
    return el;
  };
  const page = {
    focused,
    document,
    heading: null as Fake | null,
    main: { ...element('main'), querySelector: () => page.heading },
    element,
  };
  page.main.focus = () => {
    focused.push('main');
    document.activeElement = page.main;
  };
  return page;
}

describe('focus after a page change', () => {
  let changed: (() => void) | null = null;
  let disconnected = 0;
  afterEach(() => {
    vi.unstubAllGlobals();
    changed = null;
    disconnected = 0;
  });
  beforeEach(() =>
    vi.stubGlobal(
      'MutationObserver',
      class {
        constructor(private readonly callback: () => void) {}
        observe() {
          changed = () => this.callback();
        }
        disconnect() {
          disconnected++;
          changed = null;
        }
      },
    ),
  );
  const start = (page: ReturnType<typeof fakePage>) => focusPageHeading(page.document as unknown as Document);
  const change = () => changed?.();

  it('goes to the heading at once when the page has it', () => {
    const page = fakePage();
    page.heading = page.element('h1');
    start(page);
    expect(page.focused).toEqual(['h1']);
  });

  it('goes to <main>, then to the heading once the page has loaded', () => {
    const page = fakePage();
    start(page);
    expect(page.focused).toEqual(['main']);
    change(); // the spinner turns
    expect(page.focused).toEqual(['main']);
    page.heading = page.element('h1');
    change();
    expect(page.focused).toEqual(['main', 'h1']);
  });

  it('follows the heading when the loading page replaces it, and stops once the reader clicks elsewhere', () => {
    const page = fakePage();
    const first = page.element('h1');
    page.heading = first;
    start(page);
    first.isConnected = false;
    page.heading = null;
    page.document.activeElement = page.document.body;
    change();
    expect(page.focused).toEqual(['h1', 'main']);
    page.heading = page.element('h1 of the loaded page');
    change();
    expect(page.focused).toEqual(['h1', 'main', 'h1 of the loaded page']);
    page.document.activeElement = page.document.body; // a click on the page's text
    change();
    expect(disconnected).toBe(1);
    expect(page.focused).toEqual(['h1', 'main', 'h1 of the loaded page']);
  });

  it('leaves focus where the reader moved it while the page loaded', () => {
    const page = fakePage();
    start(page);
    page.element('link').focus();
    page.heading = page.element('h1');
    change();
    expect(page.focused).toEqual(['main', 'link']);
    expect(disconnected).toBe(1);
  });

  it('stops watching at the next page change', () => {
    const page = fakePage();
    const stop = start(page);
    stop();
    expect(disconnected).toBe(1);
    expect(changed).toBeNull();
  });
});
