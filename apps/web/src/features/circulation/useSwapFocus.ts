import { useEffect, useRef } from 'react';

/**
 * Focus for a button that gives way to a form in its place: the form's first field when it opens
 * (the panel itself if it has none), the button again when it closes (cancelled or sent).
 */
export function useSwapFocus(open: boolean) {
  const opener = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (open === wasOpen.current) return;
    wasOpen.current = open;
    if (!open) {
      opener.current?.focus();
      return;
    }
    const field = panel.current?.querySelector<HTMLElement>('input, select, textarea, button');
    (field ?? panel.current)?.focus();
  }, [open]);
  return { opener, panel };
}
