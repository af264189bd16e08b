import type { CataloguingRecord } from '@athenaeum/contracts';
import { QueryClient, QueryClientProvider, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import cataloguing from '../../locales/en/cataloguing.json';
import { renderInEnglish } from '../../test/render-in';
import { RecordEditorPage, recordQuery } from './RecordEditorPage';

const render = await renderInEnglish('cataloguing', cataloguing);

const ID = '00000000-0000-4000-8000-0000000000aa';
const recordIn = (version: string) =>
  ({ id: ID, version, libraryId: 'lib', flavour: 'marc21', workId: 'w', items: [] }) as unknown as CataloguingRecord;

describe('opening a record in the editor', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('fetches the record again even when a copy is kept from an earlier visit, and starts from the new version', async () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      return new Response(JSON.stringify(recordIn('v2')), { headers: { 'content-type': 'application/json' } });
    });
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: false } } });
    client.setQueryData(recordQuery(ID).queryKey, recordIn('v1'));
    const observer = new QueryObserver(client, recordQuery(ID));
    const versions: string[] = [];
    const unsubscribe = observer.subscribe((result) => {
      if (result.isFetchedAfterMount && result.data) versions.push(result.data.version);
    });
    await vi.waitFor(() => expect(versions).toEqual(['v2']));
    unsubscribe();
    expect(asked).toEqual([`/api/v1/catalog/records/${ID}/cataloguing`]);
  });

  it('shows no editor on the copy kept from before while the record is fetched again', () => {
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: false } } });
    client.setQueryData(recordQuery(ID).queryKey, recordIn('v1'));
    const html = render(
      <QueryClientProvider client={client}>
        <RecordEditorPage id={ID} />
      </QueryClientProvider>,
    );
    expect(html).toContain('class="loading"');
    expect(html).not.toContain('record-editor');
  });
});
