import type { AuditEntry, Member, Page, Role } from '@athenaeum/contracts';
import { ROLES_BY_KIND } from '../../lib/domain';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorSummary, FormAlert, SelectField, SubmitButton, TextInput, useValidators } from '../../components/forms';
import { useForm } from '../../components/useForm';
import { DataTable } from '../../components/DataTable';
import { useOrgName } from '../../components/OrgName';
import { OrgBreadcrumbs } from '../../components/OrgPageHeader';
import { PageTitle } from '../../components/Page';
import { Pagination } from '../../components/Pagination';
import { ErrorState, Loading, QueryResult, StatusMessage } from '../../components/states';
import { api, ApiError } from '../../lib/api';
import { useFormat } from '../../lib/format';
import { useProblemMessage } from '../../lib/problems';
import { organizationQuery } from './OrganizationPage';

export interface MembersSearch {
  page?: number | undefined;
  auditPage?: number | undefined;
}

export function validateMembersSearch(search: Record<string, unknown>): MembersSearch {
  const n = (v: unknown) => {
    const x = Number(v);
    return Number.isInteger(x) && x > 1 ? x : undefined;
  };
  return { page: n(search.page), auditPage: n(search.auditPage) };
}

const PAGE_SIZE = 25;

function AuditLog({ organizationId, page }: { organizationId: string; page: number }) {
  const { t } = useTranslation(['org', 'common']);
  const format = useFormat();
  const audit = useQuery({
    queryKey: ['audit', organizationId, page],
    queryFn: () =>
      api<Page<AuditEntry>>(`/organizations/${organizationId}/audit`, { query: { page, pageSize: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });

  const describe = (entry: AuditEntry) => {
    const subject = entry.subject as { email?: string; role?: Role; name?: string };
    const role = subject.role ? t(`common:roles.${subject.role}`) : '';
    const who = subject.email ?? t('org:audit.somebody');
    switch (entry.action) {
      case 'role.granted':
        return t('org:audit.roleGranted', { role, who });
      case 'role.revoked':
        return subject.email ? t('org:audit.roleRevoked', { role, who }) : t('org:audit.roleRevokedNoEmail', { role });
      case 'token.created':
        return t('org:audit.tokenCreated', { name: subject.name ?? '' });
      case 'token.revoked':
        return t('org:audit.tokenRevoked', { name: subject.name ?? '' });
      case 'organization.created':
        return t('org:audit.organizationCreated');
      case 'organization.updated':
        return t('org:audit.organizationUpdated');
      default:
        return entry.action;
    }
  };

  return (
    <section aria-labelledby="audit-title" className="panel">
      <h2 id="audit-title">{t('org:audit.title')}</h2>
      <QueryResult query={audit} isEmpty={(log) => log.items.length === 0} empty={t('org:audit.empty')}>
        {(log) => (
          <>
            <DataTable
              caption={t('org:audit.title')}
              columns={[t('org:audit.when'), t('org:audit.who'), t('org:audit.what')]}
            >
              {log.items.map((entry) => (
                <tr key={entry.id}>
                  <td>{format.dateTime(entry.at)}</td>
                  <td>
                    {entry.actor ? (
                      <bdi>{entry.actor.displayName}</bdi>
                    ) : (
                      <span className="muted">{t('org:audit.system')}</span>
                    )}
                  </td>
                  <td>{describe(entry)}</td>
                </tr>
              ))}
            </DataTable>
            <Pagination of={log} param="auditPage" label={t('org:audit.pagination')} />
          </>
        )}
      </QueryResult>
    </section>
  );
}

export function MembersPage({ id, search }: { id: string; search: MembersSearch }) {
  const { t } = useTranslation(['org', 'common', 'errors']);
  const problem = useProblemMessage();
  const format = useFormat();
  const orgName = useOrgName();
  const validators = useValidators();
  const client = useQueryClient();
  const page = search.page ?? 1;
  const org = useQuery(organizationQuery(id));
  const members = useQuery({
    queryKey: ['members', id, page],
    queryFn: () => api<Page<Member>>(`/organizations/${id}/members`, { query: { page, pageSize: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
  const form = useForm(
    { email: '', role: '' },
    { email: validators.email, role: (value) => (value ? null : t('common:form.chooseError')) },
  );
  const [message, setMessage] = useState<string | null>(null);

  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['members', id] }),
      client.invalidateQueries({ queryKey: ['audit', id] }),
    ]);

  const grant = useMutation({
    mutationFn: (body: { email: string; role: string }) =>
      api<Member>(`/organizations/${id}/members`, { method: 'POST', body }),
    onSuccess: async (member) => {
      form.reset();
      await refresh();
      setMessage(t('org:members.granted', { role: t(`common:roles.${member.role}`), who: member.person.displayName }));
    },
    onError: (error) => {
      setMessage(null);
      if (!(error instanceof ApiError)) return form.setServerErrors({});
      const errors = error.fieldErrors();
      if (error.code === 'ACCOUNTS_PERSON_NOT_FOUND') errors.email = t('errors:ACCOUNTS_PERSON_NOT_FOUND');
      form.setServerErrors(errors);
    },
  });

  const revoke = async (member: Member) => {
    await api(`/organizations/${id}/members/${member.grantId}`, { method: 'DELETE' });
    await refresh();
    setMessage(t('org:members.revoked', { role: t(`common:roles.${member.role}`), who: member.person.displayName }));
  };

  if (org.isPending) return <Loading />;
  if (org.isError) {
    return (
      <>
        <PageTitle>{t('org:members.title')}</PageTitle>
        <ErrorState error={org.error} onRetry={() => void org.refetch()} />
      </>
    );
  }
  const roles = ROLES_BY_KIND[org.data.kind];
  const forbidden = members.error instanceof ApiError && (members.error.status === 403 || members.error.status === 401);

  return (
    <>
      <OrgBreadcrumbs org={org.data} current={t('org:members.title')} />
      <PageTitle>{t('org:members.pageTitle', { organization: orgName(org.data.names) })}</PageTitle>

      {forbidden ? (
        <div role="alert" className="alert alert-error">
          {t('org:members.forbidden')}
        </div>
      ) : (
        <>
          <StatusMessage>{message}</StatusMessage>
          <section aria-labelledby="grant-title" className="panel">
            <h2 id="grant-title">{t('org:members.grantTitle')}</h2>
            <Form
              className="form form-inline"
              validationBehavior="aria"
              onSubmit={form.handleSubmit((values) => grant.mutate({ email: values.email.trim(), role: values.role }))}
            >
              {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
              <FormAlert>
                {grant.isError && !(grant.error instanceof ApiError && grant.error.code === 'ACCOUNTS_PERSON_NOT_FOUND')
                  ? problem(grant.error)
                  : null}
              </FormAlert>
              <TextInput
                {...form.field('email')}
                type="email"
                label={t('org:members.email')}
                description={t('org:members.emailHelp')}
                isRequired
              />
              <SelectField
                {...form.field('role')}
                label={t('org:members.role')}
                options={roles.map((r) => ({ id: r, label: t(`common:roles.${r}`) }))}
                isRequired
              />
              <SubmitButton isPending={grant.isPending}>{t('org:members.grant')}</SubmitButton>
            </Form>
          </section>

          <section aria-labelledby="members-title" className="panel">
            <h2 id="members-title" tabIndex={-1}>
              {t('org:members.listTitle')}
            </h2>
            <QueryResult query={members} isEmpty={(data) => data.items.length === 0} empty={t('org:members.empty')}>
              {(data) => (
                <>
                  <p className="muted">{t('org:members.count', { count: data.total })}</p>
                  <DataTable
                    caption={t('org:members.listTitle')}
                    columns={[
                      t('org:members.person'),
                      t('org:members.email'),
                      t('org:members.role'),
                      t('org:members.since'),
                      t('common:table.actions'),
                    ]}
                  >
                    {data.items.map((member) => (
                      <tr key={member.grantId}>
                        <td>
                          <bdi>{member.person.displayName}</bdi>
                        </td>
                        <td>
                          <bdi>{member.person.email}</bdi>
                        </td>
                        <td>{t(`common:roles.${member.role}`)}</td>
                        <td>{format.date(member.grantedAt)}</td>
                        <td>
                          <ConfirmDialog
                            focusAfter={() => document.getElementById('members-title')}
                            trigger={t('org:members.revoke')}
                            triggerLabel={t('org:members.revokeLabel', {
                              role: t(`common:roles.${member.role}`),
                              who: member.person.displayName,
                            })}
                            title={t('org:members.revokeTitle')}
                            confirmLabel={t('org:members.revoke')}
                            onConfirm={() => revoke(member)}
                          >
                            <p>
                              {t('org:members.revokeQuestion', {
                                role: t(`common:roles.${member.role}`),
                                who: member.person.displayName,
                                organization: orgName(org.data.names),
                              })}
                            </p>
                          </ConfirmDialog>
                        </td>
                      </tr>
                    ))}
                  </DataTable>
                  <Pagination of={data} label={t('org:members.pagination')} />
                </>
              )}
            </QueryResult>
          </section>

          <AuditLog organizationId={id} page={search.auditPage ?? 1} />
        </>
      )}
    </>
  );
}
