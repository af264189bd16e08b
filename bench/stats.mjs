/** The p-th percentile (nearest rank) of ascending values; NaN when there are none. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Milliseconds as the benches print them. */
export const ms = (v) => `${v.toFixed(1)} ms`;

/** Table rows with the p50 and p95 of timed queries of each kind (`{ kind, ms }`), in order of first appearance. */
export function latencyByKind(label, timed) {
  return [...new Set(timed.map((t) => t.kind))].map((kind) => {
    const times = timed
      .filter((t) => t.kind === kind)
      .map((t) => t.ms)
      .sort((a, b) => a - b);
    return {
      metric: `${label}: ${kind} (${times.length})`,
      value: `p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`,
    };
  });
}
