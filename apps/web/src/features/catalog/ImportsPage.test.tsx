import {
  CATALOG_IMPORT_FAILED,
  CATALOG_IMPORT_FILE_MISSING,
  CATALOG_IMPORT_INTERRUPTED,
} from '@athenaeum/contracts/vocabulary';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import catalog from '../../locales/en/catalog.json';
import { renderInEnglish } from '../../test/render-in';
import { failureKey, sendUpload, UploadForm, wasStopped } from './ImportsPage';

const render = await renderInEnglish('catalog', catalog);

describe('the upload form', () => {
  it('asks which holdings field the copies come from, with a label and help, automatic by default', () => {
    const html = render(
      <QueryClientProvider client={new QueryClient()}>
        <UploadForm libraryId="00000000-0000-4000-8000-000000000001" onUploaded={() => {}} />
      </QueryClientProvider>,
    );
    const label = /<span class="react-aria-Label" id="([^"]+)">Holdings field<\/span>/.exec(html);
    expect(label).not.toBeNull();
    // The select's button is named by its label and its value, and described by the help.
    const button = /<button[^>]*aria-labelledby="([^"]+)"[^>]*aria-describedby="([^"]+)"[^>]*>[\s\S]*?<\/button>/g;
    const holdings = [...html.matchAll(button)].find((m) => m[1]!.split(' ').includes(label![1]!));
    expect(holdings).toBeDefined();
    expect(holdings![0]).toContain('Detect automatically (952, else 852, else 949)');
    const help = new RegExp(
      `id="${holdings![2]!.split(' ')[0]}"[^>]*>Which field of the records lists the library’s copies.`,
    );
    expect(html).toMatch(help);
  });

  it('asks which character set the records are in, with a label and help, automatic by default', () => {
    const html = render(
      <QueryClientProvider client={new QueryClient()}>
        <UploadForm libraryId="00000000-0000-4000-8000-000000000001" onUploaded={() => {}} />
      </QueryClientProvider>,
    );
    const label = /<span class="react-aria-Label" id="([^"]+)">Character set<\/span>/.exec(html);
    expect(label).not.toBeNull();
    const button = /<button[^>]*aria-labelledby="([^"]+)"[^>]*aria-describedby="([^"]+)"[^>]*>[\s\S]*?<\/button>/g;
    const encoding = [...html.matchAll(button)].find((m) => m[1]!.split(' ').includes(label![1]!));
    expect(encoding).toBeDefined();
    expect(encoding![0]).toContain('Automatic (from the records)');
    const help = new RegExp(
      `id="${encoding![2]!.split(' ')[0]}"[^>]*>How the letters of MARC 21 and UNIMARC \\(ISO 2709\\) files are encoded.`,
    );
    expect(html).toMatch(help);
  });
});

describe('sending an upload', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the character set chosen with the file, beside its name, format and holdings field', async () => {
    const sent: Array<{ method: string; url: string; body: unknown }> = [];
    // The browser's XMLHttpRequest, as far as an upload uses it: records the request, answers 202.
    class FakeXhr {
      status = 0;
      responseText = '';
      withCredentials = false;
      upload: { onprogress: ((event: { loaded: number; total: number }) => void) | null } = { onprogress: null };
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      onabort: (() => void) | null = null;
      private request = { method: '', url: '' };
      open(method: string, url: string) {
        this.request = { method, url };
      }
      setRequestHeader() {}
      getResponseHeader() {
        return 'application/json';
      }
      abort() {}
      send(body: unknown) {
        sent.push({ ...this.request, body });
        this.status = 202;
        this.responseText = JSON.stringify({ id: 'run' });
        queueMicrotask(() => this.onload?.());
      }
    }
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const file = new File(['00000'], 'legacy.mrc');
    const run = await sendUpload('lib-1', file, { format: 'auto', holdings: 'auto', encoding: 'windows-1251' });
    expect(run).toEqual({ id: 'run' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe('POST');
    expect(sent[0]!.body).toBe(file);
    const url = new URL(sent[0]!.url, 'http://localhost');
    expect(url.pathname).toBe('/api/v1/organizations/lib-1/catalog-imports');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      filename: 'legacy.mrc',
      format: 'auto',
      holdings: 'auto',
      encoding: 'windows-1251',
    });
  });
  it('stops an upload when its signal is aborted, as the Stop button and leaving the page do', async () => {
    let aborted = 0;
    // An upload that never finishes on its own.
    class HangingXhr {
      status = 0;
      responseText = '';
      withCredentials = false;
      upload = { onprogress: null };
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      onabort: (() => void) | null = null;
      open() {}
      setRequestHeader() {}
      getResponseHeader() {
        return 'application/json';
      }
      abort() {
        aborted++;
        queueMicrotask(() => this.onabort?.());
      }
      send() {}
    }
    vi.stubGlobal('XMLHttpRequest', HangingXhr);
    const stop = new AbortController();
    const sending = sendUpload(
      'lib-1',
      new File(['00000'], 'big.mrc'),
      { format: 'auto', holdings: 'auto', encoding: 'auto' },
      undefined,
      stop.signal,
    );
    stop.abort();
    const error = await sending.then(
      () => null,
      (e: unknown) => e,
    );
    expect(aborted).toBe(1);
    expect(wasStopped(error)).toBe(true);
    expect(wasStopped(new Error('Network error'))).toBe(false);
  });
});

describe('why an import failed', () => {
  it('says the reasons the server writes in the page’s own words, and any other as it came', () => {
    for (const reason of [CATALOG_IMPORT_INTERRUPTED, CATALOG_IMPORT_FAILED, CATALOG_IMPORT_FILE_MISSING]) {
      const key = failureKey(reason);
      expect(key).not.toBeNull();
      expect((catalog.imports as Record<string, unknown>)[key!.replace('imports.', '')]).toEqual(expect.any(String));
    }
    expect(failureKey('disk full')).toBeNull();
  });
});
