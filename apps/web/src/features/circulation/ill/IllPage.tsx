import type { IllAction, IllRequest, Me, Organization, Page } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { isolate } from '../bidi';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { TextInput } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { PageTitle } from '../../../components/Page';
import { ActionOutcome, Empty, ErrorState, Loading } from '../../../components/states';
import { api } from '../../../lib/api';
import { useFormat } from '../../../lib/format';
import { useProblemMessage } from '../../../lib/problems';
import { useMe } from '../../../lib/session';
import { useOrganizations } from '../../catalog/organizations';
import { organizationQuery } from '../../organizations/OrganizationPage';
import { StaffIllRequestForm } from './StaffIllRequestForm';
import '../desk/desk.css';
import '../patron/patron.css';

type Role = 'borrower' | 'lender';

const illQuery = (libraryId: string, role: Role) => ({
  queryKey: ['ill', libraryId, role] as const,
  queryFn: () => api<Page<IllRequest>>(`/organizations/${libraryId}/ill-requests`, { query: { role, pageSize: 100 } }),
});

function isLibraryStaff(person: Me | null, library: Organization): boolean {
  if (!person) return false;
  if (person.isPlatformAdmin) return true;
  return person.roles.some((g) => (g.role === 'staff' || g.role === 'admin') && g.organization.id === library.id);
}

/** A request's title, status, other library, due date, reason and its steps so far. */
export function IllSummary({ request, other }: { request: IllRequest; other: 'lender' | 'borrower' }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const orgName = useOrgName();
  const libraries = useOrganizations([request.lenderLibraryId, request.borrowerLibraryId]);
  const otherId = other === 'lender' ? request.lenderLibraryId : request.borrowerLibraryId;
  const otherOrg = libraries.get(otherId);
  const library = otherOrg ? orgName(otherOrg.names) : '';
  return (
    <>
      <h3 id={`ill-${request.id}`} tabIndex={-1}>
        <Link to="/works/$id" params={{ id: request.workId }}>
          <bdi dir="auto">{request.title ?? t('holds.untitled')}</bdi>
        </Link>
      </h3>
      <p className="hold-status">{t(`ill.status.${request.status}`)}</p>
      <ul className="hold-facts">
        <li>{other === 'lender' ? t('ill.from', { library }) : t('ill.to', { library })}</li>
        {request.dueAt ? <li>{t('ill.due', { date: format.date(request.dueAt) })}</li> : null}
        {request.declineReason ? <li>{t('ill.reasonShown', { reason: request.declineReason })}</li> : null}
      </ul>
      <ol className="ill-steps">
        {request.events.map((e, i) => (
          <li key={i}>
            {format.dateTime(e.at)}: {t(`ill.status.${e.to as IllRequest['status']}`)}
          </li>
        ))}
      </ol>
    </>
  );
}

/** A library's inter-library loans, as borrower and as lender, with the steps that are its own to take. */
export function IllPage({ id }: { id: string }) {
  const { t } = useTranslation('circulation');
  const me = useMe();
  const orgName = useOrgName();
  const org = useQuery(organizationQuery(id));
  const [role, setRole] = useState<Role>('lender');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (org.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  const title = t('pageTitle', { page: t('ill.title'), org: isolate(orgName(org.data.names)) });
  if (!isLibraryStaff(me, org.data)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <p role="alert">{t('ill.notStaff')}</p>
      </>
    );
  }
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <ActionOutcome message={message} />
      <StaffIllRequestForm library={org.data} say={(ok, text) => setMessage({ ok, text })} />
      <Tabs selectedKey={role} onSelectionChange={(key) => setRole(key as Role)}>
        <TabList aria-label={t('ill.title')} className="desk-tabs">
          <Tab id="lender" className="desk-tab">
            {t('ill.asLender')}
          </Tab>
          <Tab id="borrower" className="desk-tab">
            {t('ill.asBorrower')}
          </Tab>
        </TabList>
        {(['lender', 'borrower'] as const).map((r) => (
          <TabPanel key={r} id={r}>
            <IllList libraryId={id} role={r} say={(ok, text) => setMessage({ ok, text })} />
          </TabPanel>
        ))}
      </Tabs>
    </>
  );
}

function IllList({
  libraryId,
  role,
  say,
}: {
  libraryId: string;
  role: Role;
  say: (ok: boolean, text: string) => void;
}) {
  const { t } = useTranslation('circulation');
  const list = useQuery(illQuery(libraryId, role));
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.items.length === 0) return <Empty>{t('ill.none')}</Empty>;
  return (
    <ul className="hold-list">
      {list.data.items.map((request) => (
        <li key={request.id}>
          <article className="hold-card" aria-labelledby={`ill-${request.id}`}>
            <IllSummary request={request} other={role === 'borrower' ? 'lender' : 'borrower'} />
            <IllActions libraryId={libraryId} request={request} say={say} />
          </article>
        </li>
      ))}
    </ul>
  );
}

function IllActions({
  libraryId,
  request,
  say,
}: {
  libraryId: string;
  request: IllRequest;
  say: (ok: boolean, text: string) => void;
}) {
  const { t } = useTranslation('circulation');
  const problem = useProblemMessage();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const done = async (updated: IllRequest) => {
    await client.invalidateQueries({ queryKey: ['ill', libraryId] });
    say(
      true,
      t('titleStatus', {
        title: isolate(updated.title ?? t('holds.untitled')),
        status: t(`ill.status.${updated.status}`),
      }),
    );
  };
  const post = (action: IllAction) =>
    api<IllRequest>(`/organizations/${libraryId}/ill-requests/${request.id}/actions`, {
      method: 'POST',
      body: action === 'decline' ? { action, reason } : { action },
    });
  const act = useMutation({
    mutationFn: post,
    onSuccess: done,
    onError: (error) => say(false, t('holds.refused', { reason: problem(error) })),
  });
  if (request.actions.length === 0) return null;
  const title = request.title ?? t('holds.untitled');
  return (
    <div className="hold-actions">
      {request.actions.includes('decline') ? (
        <TextInput label={t('ill.reason')} value={reason} onChange={setReason} />
      ) : null}
      {request.actions.map((action) =>
        // Declining or cancelling ends the request for good: asked first.
        action === 'decline' || action === 'cancel' ? (
          <ConfirmDialog
            key={action}
            trigger={t(`ill.action.${action}`)}
            triggerLabel={t(`ill.confirm.${action}.trigger`, { title })}
            isTriggerDisabled={act.isPending || (action === 'decline' && !reason.trim())}
            title={t(`ill.confirm.${action}.title`, { title })}
            confirmLabel={t(`ill.confirm.${action}.confirm`)}
            dismissLabel={t('ill.confirm.keep')}
            focusAfter={() => document.getElementById(`ill-${request.id}`) ?? document.querySelector('h1')}
            onConfirm={async () => done(await post(action))}
          >
            <p>{t(`ill.confirm.${action}.text`)}</p>
          </ConfirmDialog>
        ) : (
          <Button key={action} className="button" isDisabled={act.isPending} onPress={() => act.mutate(action)}>
            {t(`ill.action.${action}`)}
          </Button>
        ),
      )}
    </div>
  );
}
