import { useCallback, useState } from 'react';

/** What an action came to, as ActionOutcome and OutcomeStatus show it. */
export interface Outcome {
  ok: boolean;
  text: string;
}

/** Tells the page what an action came to: `say(true, 'Renewed')`, `say(false, 'Refused: …')`. */
export type Say = (ok: boolean, text: string) => void;

/** The last outcome of the actions on a page (null before any) and `say` to set it. */
export function useSay(): [Outcome | null, Say] {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const say = useCallback<Say>((ok, text) => setOutcome({ ok, text }), []);
  return [outcome, say];
}
