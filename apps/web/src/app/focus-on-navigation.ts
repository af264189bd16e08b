/**
 * Focus after a client-side page change. The new page's heading gets focus, as a page load would
 * put the reader at its start. A page whose heading comes only once its data (or its code) has
 * loaded has focus on <main> meanwhile, and its heading takes it when it appears, and again if the
 * page replaces it while loading — unless the reader has moved focus meanwhile: focus is never
 * taken from something they went to, nor back after they clicked elsewhere.
 */

/** What to do now: focus the heading, keep watching the page, or stop watching (the reader took over). */
export type HeadingStep = 'focus' | 'wait' | 'stop';

/**
 * The decision at each change of the page. `active` is where focus is (null or the body when
 * nothing has it), `main` the page's <main>, `heading` its h1 if it is there yet, and `placed` what
 * this navigation last gave focus to (null before it did), `placedGone` whether that has left the page.
 */
export function headingStep<E>({
  active,
  main,
  body,
  heading,
  placed,
  placedGone,
}: {
  active: E | null;
  main: E | null;
  body: E | null;
  heading: E | null;
  placed: E | null;
  placedGone: boolean;
}): HeadingStep {
  const nowhere = active === null || active === body;
  // Focus on something else than what the navigation focused: the reader moved it.
  if (!nowhere && active !== main && active !== placed) return 'stop';
  // Focus left what the navigation focused while that is still there: the reader clicked elsewhere.
  if (nowhere && placed !== null && !placedGone) return 'stop';
  if (heading === null || heading === active) return 'wait';
  return 'focus';
}

/**
 * Moves focus to the page's heading after a navigation, or to <main> until the heading appears
 * (see `headingStep`). Returns what stops the watching (the next navigation calls it).
 */
export function focusPageHeading(document: Document): () => void {
  let placed: HTMLElement | null = null;
  let observer: MutationObserver | null = null;
  const stop = () => observer?.disconnect();
  const step = () => {
    const main = document.getElementById('main');
    const heading = main?.querySelector<HTMLElement>('h1') ?? null;
    const active = document.activeElement;
    const next = headingStep<Element>({
      active,
      main,
      body: document.body,
      heading,
      placed,
      placedGone: placed !== null && !placed.isConnected,
    });
    if (next === 'stop') stop();
    else if (next === 'focus' && heading) {
      placed = heading;
      heading.focus();
    } else if (main && (active === null || active === document.body || (placed && !placed.isConnected))) {
      // Nothing to focus yet: <main>, where the page's content comes.
      placed = main;
      main.focus();
    }
  };
  step();
  observer = new MutationObserver(step);
  observer.observe(document.body, { childList: true, subtree: true });
  return stop;
}
