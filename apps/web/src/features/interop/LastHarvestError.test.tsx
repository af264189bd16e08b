import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import { renderInLanguage } from '../../test/render-in';
import { LastHarvestError } from './LastHarvestError';

type Texts = {
  harvest: { errorDetail: string; errorWithoutTime: string; lastHarvestFailed: string };
  errors: Record<string, string>;
};
const texts = import.meta.glob<Texts>('../../locales/*/interop.json', { eager: true, import: 'default' });
const interop = (language: string) => texts[`../../locales/${language}/interop.json`]!;

const renderIn = async (language: string, node: ReactNode) =>
  (await renderInLanguage(language, 'interop', interop(language)))(node);

const FORBIDDEN =
  'http://127.0.0.1:8080/oai?verb=Identify: 127.0.0.1 is an internal address (loopback); this server does not fetch from internal addresses.';

describe("a harvest source's last error", () => {
  it.each(SUPPORTED_LOCALES)(
    '%s places the server text with one tag, and has a message for any failure',
    (language) => {
      const { harvest, errors } = interop(language);
      expect(harvest.errorDetail.split('<detail/>')).toHaveLength(2);
      expect(harvest.errorDetail).not.toMatch(/\{\{|<(?!detail\/>)/);
      expect(harvest.lastHarvestFailed).toBeTruthy();
      expect(harvest.errorWithoutTime).toContain('{{error}}');
      expect(harvest.errorWithoutTime).not.toContain('{{time}}');
      expect(errors.INTEROP_HARVEST_BAD_RESPONSE).toMatch(/OAI-PMH/);
    },
  );

  it('says what went wrong in the interface language, the server text isolated as a detail', async () => {
    const html = await renderIn(
      'ar',
      <LastHarvestError code="INTEROP_REMOTE_FORBIDDEN_ADDRESS" text={FORBIDDEN} time="٢٣/١١/٢٠٢٦" />,
    );
    expect(html).toBe(
      `<p class="field-error">خطأ في ٢٣/١١/٢٠٢٦: ${interop('ar').errors.INTEROP_REMOTE_FORBIDDEN_ADDRESS}</p>` +
        `<p class="interop-detail muted">تفاصيل من الخادم: <bdi>${FORBIDDEN}</bdi></p>`,
    );
  });

  it('names the harvest’s own codes, and falls back to a general message for a code it does not know or none', async () => {
    expect(await renderIn('zh', <LastHarvestError code="INTEROP_HARVEST_BAD_RESPONSE" text="x" time="t" />)).toContain(
      '存储库发送的内容不是 OAI-PMH 响应。',
    );
    for (const code of ['INTEROP_HARVEST_FAILED', 'SOMETHING_NEW', null])
      expect(await renderIn('en', <LastHarvestError code={code} text="HTTP 500" time="09:00" />), String(code)).toBe(
        '<p class="field-error">Error at 09:00: The last harvest failed.</p>' +
          '<p class="interop-detail muted">Details from the server: <bdi>HTTP 500</bdi></p>',
      );
  });

  it('says the error without a time when the source has none', async () => {
    expect(await renderIn('en', <LastHarvestError code={null} text="HTTP 500" time={null} />)).toBe(
      '<p class="field-error">Error: The last harvest failed.</p>' +
        '<p class="interop-detail muted">Details from the server: <bdi>HTTP 500</bdi></p>',
    );
    const fr = await renderIn('fr', <LastHarvestError code="INTEROP_HARVEST_BAD_RESPONSE" text="x" time={null} />);
    expect(fr).toContain(`<p class="field-error">Erreur : ${interop('fr').errors.INTEROP_HARVEST_BAD_RESPONSE}</p>`);
  });

  it('shows the server text as text, not markup', async () => {
    expect(await renderIn('fr', <LastHarvestError code={null} text="<b>boom</b>" time="t" />)).toContain(
      '<bdi>&lt;b&gt;boom&lt;/b&gt;</bdi>',
    );
  });
});
