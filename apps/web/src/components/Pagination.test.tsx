import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { describe, expect, it } from 'vitest';
import common from '../locales/en/common.json';
import { renderInEnglish } from '../test/render-in';
import { Pagination } from './Pagination';

const renderMarkup = await renderInEnglish('common', common);

/** The links Pagination renders for a result page, on a page at `url`. */
async function render(of: { page: number; pageSize: number; total: number }, url: string, param?: string) {
  const root = createRootRoute({ component: () => <Pagination of={of} param={param} label="Results" /> });
  const router = createRouter({ routeTree: root, history: createMemoryHistory({ initialEntries: [url] }) });
  await router.load();
  return renderMarkup(<RouterProvider router={router} />);
}

describe('pagination', () => {
  it('links to the previous and next pages, keeping the rest of the search', async () => {
    const html = await render({ page: 2, pageSize: 20, total: 45 }, '/?q=tolstoy&page=2');
    expect(html).toContain('<nav aria-label="Results" class="pagination">');
    expect(html).toMatch(/rel="prev" href="\/\?q=tolstoy"/);
    expect(html).toMatch(/rel="next" href="\/\?q=tolstoy&amp;page=3"/);
    expect(html).toContain('Page 2 of 3');
  });

  it('has no previous link on the first page, no next on the last, and nothing for a single page', async () => {
    const first = await render({ page: 1, pageSize: 20, total: 45 }, '/?q=x');
    expect(first).not.toContain('rel="prev"');
    expect(first).toContain('rel="next"');
    const last = await render({ page: 3, pageSize: 20, total: 45 }, '/?q=x&page=3');
    expect(last).toContain('rel="prev"');
    expect(last).not.toContain('rel="next"');
    expect(await render({ page: 1, pageSize: 20, total: 20 }, '/')).not.toContain('<nav');
  });

  it('keeps its page number in the parameter it is given', async () => {
    const html = await render({ page: 1, pageSize: 10, total: 30 }, '/?page=4', 'auditPage');
    expect(html).toMatch(/rel="next" href="\/\?page=4&amp;auditPage=2"/);
  });
});
