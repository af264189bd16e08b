import type { ReactNode } from 'react';

/**
 * A header cell: its text; its text and a class (e.g. 'numeric'); or null for a blank cell (over a
 * column of row actions that needs no name).
 */
export type Column = string | { label: string; className: string } | null;

/** A table in its scrolling wrapper, with a caption for screen readers and a row of column headers. */
export function DataTable({ caption, columns, children }: { caption: string; columns: Column[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, index) =>
              column === null ? (
                <td key={index} />
              ) : typeof column === 'string' ? (
                <th key={index} scope="col">
                  {column}
                </th>
              ) : (
                <th key={index} scope="col" className={column.className}>
                  {column.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
