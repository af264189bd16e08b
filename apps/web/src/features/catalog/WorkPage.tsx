import type { CatalogRecordView, Holding, Organization } from '@athenaeum/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { OrgName } from '../../components/OrgName';
import { PageTitle } from '../../components/Page';
import { Empty, Loading } from '../../components/states';
import { useFormat } from '../../lib/format';
import './catalog.css';
import { Cover } from './Cover';
import { useCatalogLabels, useCatalogProblem } from './labels';
import { useOrganizations } from './organizations';
import { WorkClustering } from './WorkClustering';
import { EditionLinks } from './EditionLinks';
import { movedWorkId } from './moved-work';
import { workQuery } from './work-query';
import { EditRecordLink } from '../cataloguing/EditRecordLink';
import { RequestIllButton } from '../circulation/ill/RequestIllButton';
import { PlaceHoldButton } from '../circulation/patron/PlaceHoldButton';

export { workQuery };

interface CopyRow extends Holding {
  record: CatalogRecordView;
}

/** Rows shown before "show all": a work clustered from hundreds of editions stays readable. */
const FIRST_ROWS = 10;

function branchName(library: Organization | undefined, branchId: string | null) {
  if (!branchId) return null;
  return library?.members.find((m) => m.id === branchId) ?? null;
}

/**
 * Whether the work can be borrowed now: at how many of the libraries holding it. Both numbers are
 * formatted in the interface's language (the texts format the total), not one Latin and one
 * Arabic-Indic in Arabic.
 */
export function WorkAvailability({ libraryCount, availableCount }: { libraryCount: number; availableCount: number }) {
  const { t } = useTranslation('catalog');
  const format = useFormat();
  return (
    <p className={availableCount > 0 ? 'availability availability-ok' : 'availability'}>
      {availableCount > 0
        ? t('record.availableSummary', { count: libraryCount, available: format.number(availableCount) })
        : t('work.heldBy', { count: libraryCount })}
    </p>
  );
}

/** One library's copies: a table by branch, with call number, location and status. */
export function LibraryCopies({
  libraryId,
  rows,
  library,
  available,
}: {
  libraryId: string;
  rows: CopyRow[];
  library: Organization | undefined;
  available: boolean;
}) {
  const { t } = useTranslation('catalog');
  const labels = useCatalogLabels();
  const format = useFormat();
  const [all, setAll] = useState(false);
  const headingId = `library-${libraryId}`;
  const tableId = `copies-${libraryId}`;
  const name = library ? labels.orgName(library.names) : t('facets.libraryLoading');
  const sorted = [...rows].sort((a, b) => {
    const an = branchName(library, a.branchId);
    const bn = branchName(library, b.branchId);
    return (
      (an ? labels.orgName(an.names) : '').localeCompare(bn ? labels.orgName(bn.names) : '') ||
      a.barcode.localeCompare(b.barcode)
    );
  });
  return (
    <section aria-labelledby={headingId} className="panel library-copies">
      <h3 id={headingId}>
        {library ? (
          <Link to="/organizations/$id" params={{ id: libraryId }}>
            <OrgName names={library.names} />
          </Link>
        ) : (
          name
        )}{' '}
        <span className={available ? 'badge badge-ok' : 'badge'}>
          {available ? t('record.availableHere') : t('record.notAvailableHere')}
        </span>
      </h3>
      {rows.length > 0 ? (
        <p>
          {t('record.copiesSummary', {
            count: rows.length,
            // Formatted as the text formats the total.
            available: format.number(rows.filter((r) => r.status === 'available').length),
          })}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <Empty>{t('record.noCopies')}</Empty>
      ) : (
        <div className="table-wrap">
          <table id={tableId}>
            <caption className="visually-hidden">{t('record.copiesAt', { library: name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('record.branch')}</th>
                <th scope="col">{t('record.callNumber')}</th>
                <th scope="col">{t('record.location')}</th>
                <th scope="col">{t('record.status')}</th>
                <th scope="col">{t('record.edition')}</th>
              </tr>
            </thead>
            <tbody>
              {(all ? sorted : sorted.slice(0, FIRST_ROWS)).map((row) => {
                const branch = branchName(library, row.branchId);
                return (
                  <tr key={row.itemId}>
                    <th scope="row">
                      {branch ? (
                        <OrgName names={branch.names} />
                      ) : (
                        <span className="muted">{t('record.mainLibrary')}</span>
                      )}
                    </th>
                    <td>
                      {row.callNumber ? <bdi className="mono">{row.callNumber}</bdi> : <span className="muted">—</span>}
                    </td>
                    <td>{row.location ? <bdi>{row.location}</bdi> : <span className="muted">—</span>}</td>
                    <td>
                      <span className={row.status === 'available' ? 'status status-available' : 'status'}>
                        {labels.status(row.status)}
                      </span>
                    </td>
                    <td>
                      {[
                        row.record.fields.edition,
                        row.record.fields.year === null ? null : String(row.record.fields.year),
                      ]
                        .filter(Boolean)
                        .join(' · ') || <span className="muted">—</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {rows.length > FIRST_ROWS ? (
            <Button
              className="button button-small"
              aria-controls={tableId}
              aria-expanded={all}
              onPress={() => setAll(!all)}
            >
              {all ? t('record.showFewer') : t('record.showAllCopies', { count: rows.length, library: name })}
            </Button>
          ) : null}
        </div>
      )}
    </section>
  );
}

export function WorkPage({ id }: { id: string }) {
  const { t } = useTranslation(['catalog', 'common']);
  const labels = useCatalogLabels();
  const problem = useCatalogProblem();
  const work = useQuery(workQuery(id));
  const [allEditions, setAllEditions] = useState(false);
  const libraryIds = work.data
    ? [...new Set([...work.data.libraryIds, ...work.data.records.map((r) => r.libraryId)])]
    : [];
  const libraries = useOrganizations(libraryIds);
  const navigate = useNavigate();
  const movedTo = movedWorkId(id, work.data);
  useEffect(() => {
    // A bookmarked or indexed address of a merged work: the work it joined, under its own address.
    if (movedTo) void navigate({ to: '/works/$id', params: { id: movedTo }, search: true, hash: true, replace: true });
  }, [movedTo, navigate]);

  if (work.isPending || movedTo) return <Loading />;
  if (work.isError) {
    return (
      <>
        <PageTitle>{t('catalog:record.notFoundTitle')}</PageTitle>
        <div role="alert" className="alert alert-error">
          <p>{problem(work.error)}</p>
        </div>
        <p>
          <Link to="/search">{t('catalog:record.backToSearch')}</Link>
        </p>
      </>
    );
  }
  const w = work.data;
  const lead = w.records[0]?.fields;
  const years = labels.years(w.yearMin, w.yearMax);
  const isbns = [...new Set(w.records.flatMap((r) => r.fields.isbns))];
  const copies = new Map<string, CopyRow[]>(libraryIds.map((lib) => [lib, []]));
  for (const record of w.records) {
    for (const holding of record.holdings) copies.get(holding.libraryId)?.push({ ...holding, record });
  }
  const libraryLabel = (libraryId: string) => {
    const org = libraries.get(libraryId);
    return org ? labels.orgName(org.names) : '';
  };

  return (
    <article className="work-page">
      <nav aria-label={t('common:breadcrumbs')} className="breadcrumbs">
        <ol>
          <li>
            <Link to="/search">{t('catalog:search.title')}</Link>
          </li>
          <li aria-current="page">
            <bdi>{w.title}</bdi>
          </li>
        </ol>
      </nav>
      <div className="work-head">
        {/* Without a cover, or when it cannot be loaded (blocked, gone), the head has none. */}
        <Cover
          url={w.records.flatMap((r) => r.fields.links).find((l) => l.kind === 'cover')?.url}
          className="cover cover-large"
          width={128}
          height={192}
        />
        <div>
          <PageTitle title={w.title}>
            <bdi dir="auto">{w.title}</bdi>
          </PageTitle>
          {lead?.subtitle ? (
            <p className="subtitle">
              <bdi>{lead.subtitle}</bdi>
            </p>
          ) : null}
          <p className="lead">
            {w.author ? <bdi>{w.author}</bdi> : null}
            {w.author && years ? ' · ' : null}
            {years}
          </p>
          <WorkAvailability libraryCount={w.libraryIds.length} availableCount={w.availableLibraryIds.length} />
          <PlaceHoldButton workId={w.id} />
          <RequestIllButton workId={w.id} libraryIds={w.libraryIds} />
        </div>
      </div>

      <section aria-labelledby="work-details" className="panel">
        <h2 id="work-details">{t('catalog:record.details')}</h2>
        <dl className="facts">
          <dt>{t('catalog:record.material')}</dt>
          <dd>{w.materialTypes.map((m) => labels.material(m)).join(', ')}</dd>
          <dt>{t('catalog:record.languages')}</dt>
          <dd>{w.languages.map((l) => labels.language(l)).join(', ') || '—'}</dd>
          {lead?.responsibility ? (
            <>
              <dt>{t('catalog:record.responsibility')}</dt>
              <dd>
                <bdi>{lead.responsibility}</bdi>
              </dd>
            </>
          ) : null}
          {isbns.length > 0 && isbns.length <= 3 ? (
            <>
              <dt>{t('catalog:record.isbn')}</dt>
              <dd>
                <span className="mono" dir="ltr">
                  {isbns.join(', ')}
                </span>
              </dd>
            </>
          ) : null}
          {w.subjects.length ? (
            <>
              <dt>{t('catalog:record.subjects')}</dt>
              <dd>
                <ul className="plain-list inline-list">
                  {w.subjects.map((s) => (
                    <li key={s}>
                      <Link to="/search" search={{ subject: [s] }}>
                        <bdi>{s}</bdi>
                      </Link>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
          {lead?.summary ? (
            <>
              <dt>{t('catalog:record.summary')}</dt>
              <dd>
                <bdi>{lead.summary}</bdi>
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="work-editions" className="panel">
        <h2 id="work-editions">{t('catalog:record.editions', { count: w.records.length })}</h2>
        <div className="table-wrap">
          <table id="editions-table">
            <caption className="visually-hidden">{t('catalog:record.editionsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalog:record.title')}</th>
                <th scope="col">{t('catalog:record.edition')}</th>
                <th scope="col">{t('catalog:record.published')}</th>
                <th scope="col">{t('catalog:record.isbn')}</th>
                <th scope="col">{t('catalog:record.languages')}</th>
                <th scope="col">{t('catalog:record.library')}</th>
              </tr>
            </thead>
            <tbody>
              {(allEditions ? w.records : w.records.slice(0, FIRST_ROWS)).map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <bdi>{r.fields.title}</bdi>
                    <EditRecordLink recordId={r.id} libraryId={r.libraryId} title={r.fields.title} />
                  </th>
                  <td>{r.fields.edition ? <bdi>{r.fields.edition}</bdi> : '—'}</td>
                  <td>
                    <bdi>
                      {[r.fields.place, r.fields.publisher, r.fields.year === null ? null : String(r.fields.year)]
                        .filter(Boolean)
                        .join(', ') || '—'}
                    </bdi>
                  </td>
                  <td>
                    <span className="mono" dir="ltr">
                      {r.fields.isbns.join(', ') || '—'}
                    </span>
                  </td>
                  <td>{r.fields.languages.map((l) => labels.language(l)).join(', ') || '—'}</td>
                  <td>{libraryLabel(r.libraryId)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {w.records.length > FIRST_ROWS ? (
          <Button
            className="button button-small"
            aria-controls="editions-table"
            aria-expanded={allEditions}
            onPress={() => setAllEditions(!allEditions)}
          >
            {allEditions
              ? t('catalog:record.showFewer')
              : t('catalog:record.showAllEditions', { count: w.records.length })}
          </Button>
        ) : null}
      </section>

      <EditionLinks records={w.records} />

      <section aria-labelledby="work-holdings">
        <h2 id="work-holdings">{t('catalog:record.holdings')}</h2>
        {libraryIds.map((libraryId) => (
          <LibraryCopies
            key={libraryId}
            libraryId={libraryId}
            rows={copies.get(libraryId) ?? []}
            library={libraries.get(libraryId)}
            available={w.availableLibraryIds.includes(libraryId)}
          />
        ))}
      </section>

      <WorkClustering workId={w.id} libraryIds={libraryIds} />
    </article>
  );
}
