import type { OrganizationKind, OrganizationRef, Page } from '@athenaeum/contracts';
import { ORGANIZATION_KINDS } from '../../lib/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import {
  Button,
  ComboBox,
  Form,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  SearchField,
  Text,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../components/forms';
import { OrgName } from '../../components/OrgName';
import { PageTitle } from '../../components/Page';
import { Pagination } from '../../components/Pagination';
import { QueryResult } from '../../components/states';
import { api } from '../../lib/api';
import { COUNTRY_CODES } from '../../lib/countries';
import { useFormat } from '../../lib/format';

export interface DirectorySearch {
  q?: string | undefined;
  kind?: OrganizationKind | undefined;
  country?: string | undefined;
  page?: number | undefined;
}

const PAGE_SIZE = 20;
const ALL = 'all';

export function validateDirectorySearch(search: Record<string, unknown>): DirectorySearch {
  const q = typeof search.q === 'string' && search.q.trim() ? search.q.trim().slice(0, 200) : undefined;
  const kind = (ORGANIZATION_KINDS as readonly string[]).includes(String(search.kind))
    ? (search.kind as OrganizationKind)
    : undefined;
  const country = typeof search.country === 'string' && /^[A-Z]{2}$/.test(search.country) ? search.country : undefined;
  const page = Number(search.page);
  return { q, kind, country, page: Number.isInteger(page) && page > 1 ? page : undefined };
}

function Filters({ search }: { search: DirectorySearch }) {
  const { t } = useTranslation(['org', 'common']);
  const format = useFormat();
  const navigate = useNavigate();
  const [q, setQ] = useState(search.q ?? '');
  const [kind, setKind] = useState<string>(search.kind ?? ALL);
  const [country, setCountry] = useState<string | null>(search.country ?? null);

  const countries = useMemo(
    () =>
      COUNTRY_CODES.map((code) => ({ id: code, label: format.country(code) })).sort((a, b) =>
        a.label.localeCompare(b.label, format.tag),
      ),
    [format],
  );
  const kinds = [
    { id: ALL, label: t('org:directory.allKinds') },
    ...ORGANIZATION_KINDS.map((k) => ({ id: k, label: t(`common:kinds.${k}`) })),
  ];

  return (
    <Form
      role="search"
      aria-label={t('org:directory.searchLabel')}
      className="filters"
      onSubmit={(event) => {
        event.preventDefault();
        void navigate({
          to: '/organizations',
          search: {
            q: q.trim() || undefined,
            kind: kind === ALL ? undefined : (kind as OrganizationKind),
            country: country ?? undefined,
          },
        });
      }}
    >
      <SearchField value={q} onChange={setQ} className="field filter-q" name="q">
        <Label>{t('org:directory.query')}</Label>
        <Input />
        <Text slot="description" className="field-description">
          {t('org:directory.queryHelp')}
        </Text>
      </SearchField>
      <SelectField
        className="filter-kind"
        label={t('org:directory.kind')}
        options={kinds}
        value={kind}
        onChange={setKind}
      />
      <ComboBox
        className="field filter-country"
        selectedKey={country}
        onSelectionChange={(key) => setCountry(key === null ? null : String(key))}
        defaultItems={countries}
        menuTrigger="focus"
      >
        <Label>{t('org:directory.country')}</Label>
        <div className="combobox-row">
          <Input placeholder={t('org:directory.allCountries')} />
          <Button className="combobox-button" aria-label={t('org:directory.showCountries')}>
            <span aria-hidden="true">▾</span>
          </Button>
        </div>
        <Text slot="description" className="field-description">
          {t('org:directory.countryHelp')}
        </Text>
        <Popover className="popover">
          <ListBox className="listbox">
            {(item: { id: string; label: string }) => (
              <ListBoxItem id={item.id} textValue={item.label} className="listbox-item">
                {item.label}
              </ListBoxItem>
            )}
          </ListBox>
        </Popover>
      </ComboBox>
      <div className="filter-actions">
        <Button type="submit" className="button button-primary">
          {t('org:directory.search')}
        </Button>
        {search.q || search.kind || search.country ? (
          <Link to="/organizations" search={{}} className="button">
            {t('org:directory.clear')}
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

export function DirectoryPage({ search }: { search: DirectorySearch }) {
  const { t } = useTranslation(['org', 'common']);
  const format = useFormat();
  const page = search.page ?? 1;
  const results = useQuery({
    queryKey: ['organizations', search],
    queryFn: ({ signal }) =>
      api<Page<OrganizationRef>>('/organizations', {
        query: { q: search.q, kind: search.kind, country: search.country, page, pageSize: PAGE_SIZE },
        signal,
      }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageTitle>{t('org:directory.title')}</PageTitle>
      <p>{t('org:directory.intro')}</p>
      <Filters key={JSON.stringify([search.q, search.kind, search.country])} search={search} />
      <section aria-labelledby="results-title" aria-busy={results.isFetching}>
        <h2 id="results-title">{t('org:directory.results')}</h2>
        <p role="status" className="result-count">
          {results.data ? t('org:directory.found', { count: results.data.total }) : ''}
        </p>
        <QueryResult query={results} isEmpty={(data) => data.items.length === 0} empty={t('org:directory.empty')}>
          {(data) => (
            <>
              <ul className="result-list">
                {data.items.map((org) => (
                  <li key={org.id} className="result">
                    <Link to="/organizations/$id" params={{ id: org.id }} className="result-name">
                      <OrgName names={org.names} />
                    </Link>
                    <span className="result-meta">
                      <span className={`badge badge-kind badge-${org.kind}`}>{t(`common:kinds.${org.kind}`)}</span>
                      <span>{format.country(org.country)}</span>
                      <code dir="ltr">{org.code}</code>
                    </span>
                  </li>
                ))}
              </ul>
              <Pagination of={data} label={t('org:directory.pagination')} />
            </>
          )}
        </QueryResult>
      </section>
    </>
  );
}
