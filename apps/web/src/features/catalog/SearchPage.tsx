import type { CatalogSearchResult, FacetValue, WorkHit } from '@athenaeum/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Button, Form, Input, Label, SearchField, Text } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../components/forms';
import { PageTitle } from '../../components/Page';
import { Pagination } from '../../components/Pagination';
import { Empty, ErrorState, Loading } from '../../components/states';
import { api } from '../../lib/api';
import './catalog.css';
import { Cover } from './Cover';
import { useCatalogLabels } from './labels';
import { useOrganizations } from './organizations';
import {
  apiSearchParams,
  decadeChecked,
  hasFilters,
  listOf,
  toggleDecade,
  toggled,
  type CatalogSearch,
} from './search-params';
import { isMaterialType, SORTS, type CatalogSort } from './vocabulary';

const SHOWN = 8;

export const catalogSearchQuery = (search: CatalogSearch) => ({
  queryKey: ['catalog-search', search] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<CatalogSearchResult>(`/catalog/search?${apiSearchParams(search).toString()}`, { signal }),
});

/** Changes the search in the URL; a change of filters goes back to the first page. */
function useSearchUpdate() {
  const navigate = useNavigate();
  return (change: Partial<CatalogSearch>) =>
    navigate({
      to: '/search',
      search: (prev: CatalogSearch) => ({ ...prev, page: undefined, ...change }),
      resetScroll: false,
    });
}

function QueryForm({ search }: { search: CatalogSearch }) {
  const { t } = useTranslation('catalog');
  const update = useSearchUpdate();
  const [q, setQ] = useState(search.q ?? '');
  return (
    <Form
      role="search"
      aria-label={t('search.formLabel')}
      className="filters catalog-query"
      onSubmit={(event: FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        void update({ q: q.trim() || undefined });
      }}
    >
      <SearchField value={q} onChange={setQ} className="field catalog-query-field" name="q">
        <Label>{t('search.query')}</Label>
        <Input />
        <Text slot="description" className="field-description">
          {t('search.queryHelp')}
        </Text>
      </SearchField>
      <div className="filter-actions">
        <Button type="submit" className="button button-primary">
          {t('search.submit')}
        </Button>
      </div>
    </Form>
  );
}

interface Option {
  value: string;
  label: string;
  count: number;
  checked: boolean;
  lang?: string | undefined;
}

/** One facet: a fieldset of checkboxes whose labels carry the counts; long lists show more on request. */
export function FacetGroup({
  legend,
  options,
  onToggle,
  description,
  children,
}: {
  legend: string;
  options: Option[];
  onToggle: (value: string) => void;
  description?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation('catalog');
  const id = useId();
  const [all, setAll] = useState(false);
  if (options.length === 0 && !children) return null;
  // Ticked values always stay in view, even past the first few.
  const shown = all ? options : options.filter((o, i) => i < SHOWN || o.checked);
  const hidden = options.length - shown.length;
  return (
    <fieldset className="facet" aria-describedby={description ? `${id}-help` : undefined}>
      <legend>{legend}</legend>
      {description ? (
        <p id={`${id}-help`} className="field-description">
          {description}
        </p>
      ) : null}
      <ul className="facet-options" id={`${id}-list`}>
        {shown.map((option) => (
          <li key={option.value}>
            <label className="facet-option">
              <input type="checkbox" checked={option.checked} onChange={() => onToggle(option.value)} />
              <span className="facet-text">
                {/* Isolated: a Latin subject in the Arabic interface keeps its count on its side. */}
                <bdi className="facet-label" lang={option.lang}>
                  {option.label}
                </bdi>{' '}
                <span className="facet-count">{t('facets.count', { count: option.count })}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {options.length > SHOWN ? (
        <Button
          className="button button-small facet-more"
          aria-controls={`${id}-list`}
          aria-expanded={all}
          onPress={() => setAll(!all)}
        >
          {all ? t('facets.showFewer') : t('facets.showAll', { count: hidden, legend })}
        </Button>
      ) : null}
      {children}
    </fieldset>
  );
}

function YearRange({ search }: { search: CatalogSearch }) {
  const { t } = useTranslation('catalog');
  const update = useSearchUpdate();
  const [from, setFrom] = useState(search.yearFrom?.toString() ?? '');
  const [to, setTo] = useState(search.yearTo?.toString() ?? '');
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const valid = (v: string) => v === '' || (/^\d{1,4}$/.test(v) && Number(v) <= 2100);
  return (
    <form
      className="year-range"
      aria-label={t('facets.yearRange')}
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid(from.trim()) || !valid(to.trim())) {
          setError(t('facets.yearError'));
          return;
        }
        setError(null);
        void update({ yearFrom: from.trim() ? Number(from) : undefined, yearTo: to.trim() ? Number(to) : undefined });
      }}
    >
      {(['from', 'to'] as const).map((which) => (
        <label key={which} className="year-field">
          <span>{t(which === 'from' ? 'facets.yearFrom' : 'facets.yearTo')}</span>
          <input
            type="text"
            inputMode="numeric"
            autoComplete="off"
            size={5}
            maxLength={4}
            value={which === 'from' ? from : to}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => (which === 'from' ? setFrom : setTo)(event.target.value)}
          />
        </label>
      ))}
      <button type="submit" className="button button-small">
        {t('facets.applyYears')}
      </button>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** At most this many decades of a year range are listed without works (a typed range may span centuries). */
const TICKED_DECADES_SHOWN = 20;

/**
 * The decade checkboxes, in order: the decades with works, and the ticked ones (those the year range
 * covers whole) with 0 when the other filters leave them none, as the other facets keep their ticked
 * values, so that one does not vanish (with focus on it) when another filter is ticked.
 */
export function decadeOptions(
  values: FacetValue[],
  search: CatalogSearch,
): Array<{ decade: number; count: number; checked: boolean }> {
  const counts = new Map<number, number>();
  for (const v of values) {
    const d = Number(v.value);
    if (Number.isInteger(d)) counts.set(d, v.count);
  }
  const { yearFrom: from, yearTo: to } = search;
  if (from !== undefined && to !== undefined) {
    const first = Math.ceil(from / 10) * 10;
    if ((to - 9 - first) / 10 < TICKED_DECADES_SHOWN) {
      for (let d = first; d + 9 <= to; d += 10) if (!counts.has(d)) counts.set(d, 0);
    }
  }
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([decade, count]) => ({ decade, count, checked: decadeChecked(search, decade) }));
}

function Facets({ search, result }: { search: CatalogSearch; result: CatalogSearchResult }) {
  const { t } = useTranslation('catalog');
  const labels = useCatalogLabels();
  const update = useSearchUpdate();
  const f = result.facets;
  const libraries = useOrganizations(f.library.map((v) => v.value).concat(listOf(search.library)));

  // A ticked value stays listed (with 0) when the other filters leave it no works.
  const withSelected = (values: FacetValue[], selected: string[]): FacetValue[] => [
    ...values,
    ...selected.filter((s) => !values.some((v) => v.value === s)).map((value) => ({ value, count: 0 })),
  ];
  const material = withSelected(f.material, listOf(search.material))
    .filter((v) => isMaterialType(v.value))
    .map((v) => ({
      value: v.value,
      count: v.count,
      label: isMaterialType(v.value) ? labels.material(v.value) : v.value,
      checked: listOf(search.material).includes(v.value),
    }));
  const language = withSelected(f.language, listOf(search.language)).map((v) => ({
    value: v.value,
    count: v.count,
    label: labels.language(v.value),
    checked: listOf(search.language).includes(v.value),
  }));
  const library = withSelected(f.library, listOf(search.library)).map((v) => {
    const org = libraries.get(v.value);
    return {
      value: v.value,
      count: v.count,
      label: org ? labels.orgName(org.names) : (v.label ?? t('facets.libraryLoading')),
      checked: listOf(search.library).includes(v.value),
    };
  });
  const subject = withSelected(f.subject, search.subject ?? []).map((v) => ({
    value: v.value,
    count: v.count,
    label: v.value,
    checked: (search.subject ?? []).includes(v.value),
  }));
  const decades = decadeOptions(f.decade, search).map((v) => ({
    ...v,
    value: String(v.decade),
    label: labels.decade(v.decade),
  }));

  return (
    <>
      <FacetGroup
        legend={t('facets.availability')}
        options={[
          {
            value: 'available',
            label: t('facets.availableNow'),
            count: f.available,
            checked: Boolean(search.available),
          },
        ]}
        onToggle={() => void update({ available: search.available ? undefined : true })}
      />
      <FacetGroup
        legend={t('facets.material')}
        options={material}
        onToggle={(v) => void update({ material: toggled(search.material, v) })}
      />
      <FacetGroup
        legend={t('facets.language')}
        options={language}
        onToggle={(v) => void update({ language: toggled(search.language, v) })}
      />
      <FacetGroup
        legend={t('facets.decade')}
        description={t('facets.decadeHelp')}
        options={decades}
        onToggle={(v) => void update(toggleDecade(search, Number(v)))}
      >
        <YearRange key={`${search.yearFrom}-${search.yearTo}`} search={search} />
      </FacetGroup>
      <FacetGroup
        legend={t('facets.library')}
        options={library}
        onToggle={(v) => void update({ library: toggled(search.library, v) })}
      />
      <FacetGroup
        legend={t('facets.subject')}
        options={subject}
        onToggle={(v) => {
          const list = search.subject ?? [];
          const next = list.includes(v) ? list.filter((s) => s !== v) : [...list, v];
          void update({ subject: next.length ? next : undefined });
        }}
      />
    </>
  );
}

function Hit({ hit, libraryNames }: { hit: WorkHit; libraryNames: Map<string, string> }) {
  const { t } = useTranslation('catalog');
  const labels = useCatalogLabels();
  const years = labels.years(hit.yearMin, hit.yearMax);
  return (
    <li className="work-hit">
      <Cover
        url={hit.cover}
        className="cover"
        lazy
        width={64}
        height={96}
        fallback={<span className="cover cover-none" aria-hidden="true" />}
      />
      <div className="work-hit-body">
        <h3 className="work-hit-title">
          <Link to="/works/$id" params={{ id: hit.id }} dir="auto">
            {hit.title}
          </Link>
        </h3>
        <p className="work-hit-meta">
          {hit.author ? <bdi>{hit.author}</bdi> : null}
          {hit.author && years ? ' · ' : null}
          {years}
        </p>
        <p className="result-meta">
          {hit.materialTypes.map((m) => (
            <span key={m} className="badge">
              {labels.material(m)}
            </span>
          ))}
          {hit.languages.map((l) => labels.language(l)).join(', ')}
        </p>
        <p className={hit.availableLibraryCount > 0 ? 'availability availability-ok' : 'availability'}>
          {hit.availableLibraryCount > 0
            ? t('work.availableAt', { count: hit.availableLibraryCount })
            : t('work.heldBy', { count: hit.libraryCount })}
        </p>
        {hit.editions.length > 0 ? (
          <details className="editions">
            <summary>{t('work.editions', { count: hit.editions.length })}</summary>
            <ul>
              {hit.editions.map((e) => (
                <li key={e.recordId}>
                  <bdi>{e.title}</bdi>
                  {[e.edition, e.year === null ? null : String(e.year), e.publisher].filter(Boolean).map((part) => (
                    <span key={part}>
                      {' · '}
                      <bdi>{part}</bdi>
                    </span>
                  ))}
                  {' · '}
                  <span className="muted">{libraryNames.get(e.libraryId) ?? ''}</span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
    </li>
  );
}

function Results({ search, result }: { search: CatalogSearch; result: CatalogSearchResult }) {
  const { t } = useTranslation('catalog');
  const labels = useCatalogLabels();
  const orgs = useOrganizations(result.items.flatMap((h) => h.editions.map((e) => e.libraryId)));
  const names = new Map([...orgs].map(([id, org]) => [id, labels.orgName(org.names)]));
  if (result.items.length === 0) {
    return (
      <Empty>
        {t('search.empty')}{' '}
        {hasFilters(search) ? (
          <Link to="/search" search={{ q: search.q }}>
            {t('search.clear')}
          </Link>
        ) : null}
      </Empty>
    );
  }
  return (
    <>
      <ol className="work-hits" start={(result.page - 1) * result.pageSize + 1}>
        {result.items.map((hit) => (
          <Hit key={hit.id} hit={hit} libraryNames={names} />
        ))}
      </ol>
      <Pagination of={result} label={t('search.pagination')} />
    </>
  );
}

export function SearchPage({ search }: { search: CatalogSearch }) {
  const { t } = useTranslation(['catalog', 'common']);
  const update = useSearchUpdate();
  const [facetsOpen, setFacetsOpen] = useState(true);
  const results = useQuery({ ...catalogSearchQuery(search), placeholderData: keepPreviousData });
  const data = results.data;
  const sortOptions = SORTS.map((s) => ({ id: s, label: t(`catalog:search.sorts.${s}`) }));

  return (
    <>
      <PageTitle>{t('catalog:search.title')}</PageTitle>
      <p>{t('catalog:search.intro')}</p>
      <QueryForm key={search.q ?? ''} search={search} />
      <div className="catalog-layout">
        <section aria-labelledby="facets-title" className="catalog-facets">
          <div className="facets-head">
            <h2 id="facets-title">{t('catalog:facets.title')}</h2>
            <Button
              className="button button-small"
              aria-expanded={facetsOpen}
              aria-controls="facet-panel"
              onPress={() => setFacetsOpen(!facetsOpen)}
            >
              {facetsOpen ? t('catalog:facets.hide') : t('catalog:facets.show')}
            </Button>
          </div>
          <div id="facet-panel" hidden={!facetsOpen}>
            {hasFilters(search) ? (
              <p>
                <Link to="/search" search={{ q: search.q, sort: search.sort }}>
                  {t('catalog:search.clear')}
                </Link>
              </p>
            ) : null}
            {data ? <Facets search={search} result={data} /> : null}
          </div>
        </section>
        <section aria-labelledby="results-title" aria-busy={results.isFetching} className="catalog-results">
          <div className="results-head">
            <h2 id="results-title">{t('catalog:search.results')}</h2>
            <SelectField
              className="catalog-sort"
              label={t('catalog:search.sort')}
              options={sortOptions}
              value={search.sort ?? 'relevance'}
              onChange={(value) => void update({ sort: value === 'relevance' ? undefined : (value as CatalogSort) })}
            />
          </div>
          {/* Always in the page, so each new count is announced after a search or a filter. */}
          <p role="status" className="result-count">
            {data && !results.isFetching ? t('catalog:search.found', { count: data.total }) : ''}
          </p>
          {data?.didYouMean ? (
            <p className="did-you-mean">
              {t('catalog:search.didYouMean')}{' '}
              <Link to="/search" search={{ ...search, q: data.didYouMean, page: undefined }}>
                <bdi>{data.didYouMean}</bdi>
              </Link>
            </p>
          ) : null}
          {results.isPending ? (
            <Loading />
          ) : results.isError ? (
            <ErrorState error={results.error} onRetry={() => void results.refetch()} />
          ) : (
            <Results search={search} result={results.data} />
          )}
        </section>
      </div>
    </>
  );
}
