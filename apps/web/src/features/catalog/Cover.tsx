// A cover image that gives way to the page's "no cover" rendering when it cannot be shown.
import { useSyncExternalStore, type ReactNode } from 'react';

// Addresses whose image failed to load (gone, not an image, or blocked: an http: address under the
// page's Content Security Policy). Kept for the page's life: results shown again do not flash a
// blank box before failing once more.
const broken = new Set<string>();
const listeners = new Set<() => void>();

/** Notes that the image at `url` cannot be shown; every cover of it shows its fallback instead. */
export function markCoverBroken(url: string): void {
  if (broken.has(url)) return;
  broken.add(url);
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** The cover at `url` (decorative: the title is beside it), or `fallback` without one or when it fails to load. */
export function Cover({
  url,
  className,
  width,
  height,
  lazy = false,
  fallback = null,
}: {
  url: string | null | undefined;
  className: string;
  width: number;
  height: number;
  lazy?: boolean;
  fallback?: ReactNode;
}) {
  const isBroken = () => Boolean(url && broken.has(url));
  const failed = useSyncExternalStore(subscribe, isBroken, isBroken);
  if (!url || failed) return <>{fallback}</>;
  return (
    <img
      className={className}
      src={url}
      alt=""
      loading={lazy ? 'lazy' : undefined}
      width={width}
      height={height}
      onError={() => markCoverBroken(url)}
    />
  );
}
