import type { OutboxEmail, Page } from '@athenaeum/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/DataTable';
import { TextInput } from '../../components/forms';
import { PageTitle } from '../../components/Page';
import { Pagination } from '../../components/Pagination';
import { QueryResult } from '../../components/states';
import { api } from '../../lib/api';
import { useFormat } from '../../lib/format';
import { useMe } from '../../lib/session';

export interface OutboxSearch {
  to?: string | undefined;
  page?: number | undefined;
  message?: string | undefined;
}

export function validateOutboxSearch(search: Record<string, unknown>): OutboxSearch {
  const page = Number(search.page);
  return {
    to: typeof search.to === 'string' && search.to.trim() ? search.to.trim().slice(0, 254) : undefined,
    page: Number.isInteger(page) && page > 1 ? page : undefined,
    message: typeof search.message === 'string' && /^[0-9a-f-]{36}$/i.test(search.message) ? search.message : undefined,
  };
}

const PAGE_SIZE = 20;
const URL_PATTERN = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])/g;

/** The e-mail's text with its web addresses turned into links. */
function Linkified({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    parts.push(
      <a key={index} href={match[0]} dir="ltr" className="break-all">
        {match[0]}
      </a>,
    );
    last = index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

function MessageView({ email }: { email: OutboxEmail }) {
  const { t } = useTranslation('admin');
  const format = useFormat();
  useEffect(() => {
    document.getElementById('message-title')?.focus();
  }, [email.id]);
  return (
    <section aria-labelledby="message-title" className="panel message">
      <h2 id="message-title" tabIndex={-1} lang={email.locale}>
        {email.subject}
      </h2>
      <dl className="facts">
        <dt>{t('outbox.to')}</dt>
        <dd>
          <bdi>{email.to}</bdi>
        </dd>
        <dt>{t('outbox.date')}</dt>
        <dd>{format.dateTime(email.createdAt)}</dd>
        <dt>{t('outbox.status')}</dt>
        <dd>{t(`outbox.statuses.${email.status}`)}</dd>
        <dt>{t('outbox.language')}</dt>
        <dd>{format.language(email.locale)}</dd>
      </dl>
      <div className="message-body" lang={email.locale} dir="auto">
        <Linkified text={email.bodyText} />
      </div>
      <p>
        <Link to="." search={(prev: OutboxSearch) => ({ ...prev, message: undefined })} className="button">
          {t('outbox.close')}
        </Link>
      </p>
    </section>
  );
}

export function OutboxPage({ search }: { search: OutboxSearch }) {
  const { t } = useTranslation(['admin', 'common']);
  const format = useFormat();
  const navigate = useNavigate();
  const me = useMe();
  const [to, setTo] = useState(search.to ?? '');
  const page = search.page ?? 1;
  const emails = useQuery({
    queryKey: ['outbox', search.to, page],
    queryFn: () => api<Page<OutboxEmail>>('/admin/emails', { query: { to: search.to, page, pageSize: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
    enabled: Boolean(me?.isPlatformAdmin),
    refetchInterval: 15_000,
  });

  if (!me?.isPlatformAdmin) {
    return (
      <>
        <PageTitle>{t('admin:outbox.title')}</PageTitle>
        <div role="alert" className="alert alert-error">
          {t('admin:outbox.forbidden')}
        </div>
      </>
    );
  }
  const open = emails.data?.items.find((e) => e.id === search.message) ?? null;

  return (
    <>
      <PageTitle>{t('admin:outbox.title')}</PageTitle>
      <p>{t('admin:outbox.intro')}</p>
      <Form
        role="search"
        aria-label={t('admin:outbox.filterLabel')}
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void navigate({ to: '/admin/emails', search: { to: to.trim() || undefined } });
        }}
      >
        <TextInput name="to" type="search" label={t('admin:outbox.recipient')} value={to} onChange={setTo} />
        <div className="filter-actions">
          <Button type="submit" className="button button-primary">
            {t('admin:outbox.filter')}
          </Button>
          {search.to ? (
            <Link to="/admin/emails" search={{}} className="button">
              {t('admin:outbox.showAll')}
            </Link>
          ) : null}
        </div>
      </Form>

      {open ? <MessageView email={open} /> : null}
      {search.message && emails.isSuccess && !open ? (
        <p role="alert" className="alert alert-error">
          {t('admin:outbox.messageNotHere')}
        </p>
      ) : null}

      <section aria-labelledby="outbox-list">
        <h2 id="outbox-list">{t('admin:outbox.messages')}</h2>
        <QueryResult query={emails} isEmpty={(data) => data.items.length === 0} empty={t('admin:outbox.empty')}>
          {(data) => (
            <>
              <p className="muted">{t('admin:outbox.count', { count: data.total })}</p>
              <DataTable
                caption={t('admin:outbox.messages')}
                columns={[
                  t('admin:outbox.subject'),
                  t('admin:outbox.to'),
                  t('admin:outbox.status'),
                  t('admin:outbox.date'),
                ]}
              >
                {data.items.map((email) => (
                  <tr key={email.id} aria-current={email.id === search.message ? 'true' : undefined}>
                    <td>
                      <Link
                        to="."
                        search={(prev: OutboxSearch) => ({ ...prev, message: email.id })}
                        lang={email.locale}
                      >
                        {email.subject}
                      </Link>
                    </td>
                    <td>
                      <bdi>{email.to}</bdi>
                    </td>
                    <td>{t(`admin:outbox.statuses.${email.status}`)}</td>
                    <td>{format.dateTime(email.createdAt)}</td>
                  </tr>
                ))}
              </DataTable>
              <Pagination of={data} label={t('admin:outbox.pagination')} />
            </>
          )}
        </QueryResult>
      </section>
    </>
  );
}
