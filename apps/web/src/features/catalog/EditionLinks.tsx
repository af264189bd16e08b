import type { OaiRepositoryInfo } from '@athenaeum/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import '../interop/interop.css';

const SHOWN = 20;
const FORMATS = ['marcxml', 'dc', 'jsonld'] as const;

/** The OAI-PMH GetRecord address of a record, in MARC 21. */
export function oaiRecordUrl(info: OaiRepositoryInfo, recordId: string): string {
  const params = new URLSearchParams({
    verb: 'GetRecord',
    identifier: `${info.identifierPrefix}${recordId}`,
    metadataPrefix: 'marc21',
  });
  return `${info.endpoint}?${params}`;
}

/** Each edition's record for other systems: its OAI-PMH record and MARCXML, Dublin Core and JSON-LD downloads. */
export function EditionLinks({ records }: { records: Array<{ id: string; fields: { title: string } }> }) {
  const { t } = useTranslation('interop');
  const info = useQuery({
    queryKey: ['oai-info'],
    queryFn: ({ signal }) => api<OaiRepositoryInfo>('/interop/oai', { signal }),
    staleTime: Infinity,
  });
  if (records.length === 0) return null;
  return (
    <section aria-labelledby="edition-links-title" className="panel edition-links">
      <h2 id="edition-links-title">{t('editions.title')}</h2>
      <p>{t('editions.intro')}</p>
      <ul>
        {records.slice(0, SHOWN).map((r) => (
          <li key={r.id}>
            <bdi>{r.fields.title}</bdi>
            <p className="inline-actions">
              {info.data ? (
                <a
                  href={oaiRecordUrl(info.data, r.id)}
                  className="button button-small"
                  aria-label={t('editions.oaiLabel', { title: r.fields.title })}
                >
                  {t('editions.oai')}
                </a>
              ) : null}
              {FORMATS.map((f) => (
                <a
                  key={f}
                  href={`/api/v1/catalog/records/${r.id}?format=${f}`}
                  download
                  className="button button-small"
                  aria-label={t('editions.downloadLabel', { format: t(`editions.${f}`), title: r.fields.title })}
                >
                  {t(`editions.${f}`)}
                </a>
              ))}
            </p>
          </li>
        ))}
      </ul>
      {records.length > SHOWN ? <p className="muted">{t('editions.more', { count: records.length - SHOWN })}</p> : null}
    </section>
  );
}
