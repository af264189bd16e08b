// Asking before unsaved changes are thrown away: leaving the page through the app (a link, the
// back button, a navigation) opens a dialog — "Keep editing" stays with the edits, the other button
// leaves — and reloading or closing the tab gets the browser's own warning.
import { useBlocker, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from './ConfirmDialog';

/** Where a navigation starts or goes, as far as asking is concerned. */
export interface Place {
  pathname: string;
  search: unknown;
}

/**
 * Whether leaving `from` for `to` asks first: only with unsaved changes, not once the page has let
 * them go (after a save that leaves the page, or the librarian's "discard"), and not for a
 * navigation to the very address shown (nothing is lost).
 */
export function asksBeforeLeaving({
  dirty,
  released,
  from,
  to,
}: {
  dirty: boolean;
  released: boolean;
  from: Place;
  to: Place;
}): boolean {
  if (!dirty || released) return false;
  return from.pathname !== to.pathname || JSON.stringify(from.search ?? {}) !== JSON.stringify(to.search ?? {});
}

/**
 * Where focus goes when the librarian keeps editing: back to what had it when they tried to leave
 * (the link they followed), or, when that is gone or was nothing (a choice in a list that has
 * closed, the browser's back button), to the page's own fallback.
 */
export function focusOnKeeping(
  before: Element | null,
  body: Element,
  fallback: (() => HTMLElement | null) | undefined,
): HTMLElement | null {
  if (before && before !== body && before.isConnected && 'focus' in before) return before as HTMLElement;
  return fallback?.() ?? null;
}

export interface UnsavedChangesGuard {
  /** The dialog that asks; render it anywhere on the page. */
  dialog: ReactNode;
  /** Lets the page leave without asking (call it before navigating away after a save). */
  letGo: () => void;
}

/**
 * Guards a page's unsaved changes while `dirty`: navigations inside the app ask in a dialog whose
 * text is `question` (what would be lost), and the browser warns on reload or close.
 * `returnFocus` names where focus goes on "Keep editing" when what had it is gone; `leaveLabel` and
 * `keepLabel` replace the buttons' "Discard and leave" and "Keep editing" where other work is at stake.
 */
export function useUnsavedChangesGuard(
  dirty: boolean,
  {
    question,
    returnFocus,
    leaveLabel,
    keepLabel,
  }: { question: ReactNode; returnFocus?: () => HTMLElement | null; leaveLabel?: string; keepLabel?: string },
): UnsavedChangesGuard {
  const { t } = useTranslation();
  const released = useRef(false);
  const focusedBefore = useRef<Element | null>(null);
  // A navigation that stays on the page (other search parameters) guards its changes again.
  const href = useRouterState({ select: (state) => state.location.href });
  useEffect(() => {
    released.current = false;
  }, [href]);
  const leaving = useBlocker({
    shouldBlockFn: ({ current, next }) => {
      const ask = asksBeforeLeaving({ dirty, released: released.current, from: current, to: next });
      if (ask) focusedBefore.current = document.activeElement;
      return ask;
    },
    enableBeforeUnload: () => dirty && !released.current,
    withResolver: true,
  });
  const dialog = (
    <ConfirmDialog
      isOpen={leaving.status === 'blocked'}
      onOpenChange={(open) => {
        if (open || leaving.status !== 'blocked' || released.current) return;
        leaving.reset();
        // After React Aria has put focus back where it was when the dialog opened (if it still can).
        const before = focusedBefore.current;
        requestAnimationFrame(() =>
          requestAnimationFrame(() => focusOnKeeping(before, document.body, returnFocus)?.focus()),
        );
      }}
      title={t('unsaved.title')}
      confirmLabel={leaveLabel ?? t('unsaved.leave')}
      dismissLabel={keepLabel ?? t('unsaved.keep')}
      onConfirm={async () => {
        released.current = true;
        leaving.proceed?.();
      }}
    >
      <p>{question}</p>
    </ConfirmDialog>
  );
  return {
    dialog,
    letGo: () => {
      released.current = true;
    },
  };
}
