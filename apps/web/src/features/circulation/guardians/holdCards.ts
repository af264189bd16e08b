import type { Hold, HoldOption, LinkedPatron } from '@athenaeum/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api';
import { holdOptionsQuery } from '../patron/api';
import { myChildrenQuery } from './api';

/** A card a hold can be placed with: one of the person's own, or a child's (`child` set) for a guardian. */
export type HoldCard = HoldOption & { child?: { givenName: string; familyName: string } };

/**
 * A guardian's children's cards: each has the pickup branches of the guardian's own card at the
 * child's library (a guardian is always a patron of the child's library); others are left out.
 */
export function childHoldCards(own: HoldOption[], children: LinkedPatron[]): HoldCard[] {
  return children.flatMap((c): HoldCard[] => {
    const at = own.find((o) => o.library.id === c.libraryId);
    return at
      ? [
          {
            ...at,
            patronId: c.id,
            cardNumber: c.cardNumber,
            child: { givenName: c.givenName, familyName: c.familyName },
          },
        ]
      : [];
  });
}

/** The person's cards, then their children's. */
export function useHoldCards(): { data: HoldCard[]; isPending: boolean } {
  const options = useQuery(holdOptionsQuery);
  const children = useQuery(myChildrenQuery);
  const own = options.data ?? [];
  return { data: [...own, ...childHoldCards(own, children.data?.items ?? [])], isPending: options.isPending };
}

/** Places a hold with a card: the person's own (/me/holds) or a child's (/me/children/:id/holds). */
export const placeHoldWith = (card: HoldCard, body: { workId: string; pickupBranchId: string }) =>
  card.child
    ? api<Hold>(`/me/children/${card.patronId}/holds`, { method: 'POST', body })
    : api<Hold>('/me/holds', { method: 'POST', body: { ...body, patronId: card.patronId } });
