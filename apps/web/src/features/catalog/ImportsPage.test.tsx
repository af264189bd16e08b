import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import catalog from '../../locales/en/catalog.json';
import { renderInEnglish } from '../../test/render-in';
import { UploadForm } from './ImportsPage';

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
});
