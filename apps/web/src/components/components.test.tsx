import type { UseQueryResult } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable } from './DataTable';
import { OutcomeStatus, QueryResult } from './states';

const succeeded = <T,>(data: T) => ({ isPending: false, isError: false, data }) as unknown as UseQueryResult<T>;

describe('the shared table', () => {
  it('wraps a table with a hidden caption and one header cell a column', () => {
    const html = renderToStaticMarkup(
      <DataTable caption="Members" columns={['Name', { label: 'Loans', className: 'numeric' }, null]}>
        <tr>
          <td>Ada</td>
        </tr>
      </DataTable>,
    );
    expect(html).toBe(
      '<div class="table-wrap"><table><caption class="visually-hidden">Members</caption>' +
        '<thead><tr><th scope="col">Name</th><th scope="col" class="numeric">Loans</th><td></td></tr></thead>' +
        '<tbody><tr><td>Ada</td></tr></tbody></table></div>',
    );
  });
});

describe('what a query shows', () => {
  it('is the empty note when there is nothing, else what is made of the data', () => {
    const show = (items: string[]) =>
      renderToStaticMarkup(
        <QueryResult query={succeeded({ items })} isEmpty={(d) => d.items.length === 0} empty="None yet">
          {(d) => (
            <ul>
              {d.items.map((i) => (
                <li key={i}>{i}</li>
              ))}
            </ul>
          )}
        </QueryResult>,
      );
    expect(show([])).toBe('<p class="empty">None yet</p>');
    expect(show(['a', 'b'])).toBe('<ul><li>a</li><li>b</li></ul>');
  });
});

describe('an outcome in the polite status region', () => {
  it('keeps the region in the page and tones it by success or refusal', () => {
    const region = (className: string, text = '') =>
      `<div role="status" aria-live="polite" class="${className}">${text}</div>`;
    expect(renderToStaticMarkup(<OutcomeStatus outcome={null} />)).toBe(region('visually-empty'));
    expect(renderToStaticMarkup(<OutcomeStatus outcome={{ ok: true, text: 'Saved' }} />)).toBe(
      region('alert alert-success', 'Saved'),
    );
    expect(renderToStaticMarkup(<OutcomeStatus outcome={{ ok: false, text: 'Refused' }} />)).toBe(
      region('alert alert-error', 'Refused'),
    );
  });
});
