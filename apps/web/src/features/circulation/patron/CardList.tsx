import type { ReactNode } from 'react';

/** The patron pages' list of cards (holds, loans, requests, fines): one list item a card. */
export function CardList<T extends { id: string }>({
  items,
  labelledBy,
  children,
}: {
  items: T[];
  /** The id of the heading that names the list, when the list needs a name of its own. */
  labelledBy?: string;
  children: (item: T) => ReactNode;
}) {
  return (
    <ul className="hold-list" aria-labelledby={labelledBy}>
      {items.map((item) => (
        <li key={item.id}>{children(item)}</li>
      ))}
    </ul>
  );
}
