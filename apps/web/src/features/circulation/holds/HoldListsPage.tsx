import type { Hold, Me, Organization, Page } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { isolate } from '../bidi';
import { SelectField } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { PageTitle } from '../../../components/Page';
import { ActionOutcome, Empty, ErrorState, Loading } from '../../../components/states';
import { api } from '../../../lib/api';
import { useFormat } from '../../../lib/format';
import { useProblemMessage } from '../../../lib/problems';
import { useMe } from '../../../lib/session';
import { organizationQuery } from '../../organizations/OrganizationPage';
import '../desk/desk.css';
import '../patron/patron.css';

const LISTS = ['pull', 'shelf', 'expired', 'transit'] as const;
type List = (typeof LISTS)[number];

const listQuery = (libraryId: string, list: List) => ({
  queryKey: ['holds', 'staff', libraryId, list] as const,
  queryFn: () => api<Page<Hold>>(`/organizations/${libraryId}/holds`, { query: { list, pageSize: 100 } }),
});

function isLibraryStaff(person: Me | null, library: Organization): boolean {
  if (!person) return false;
  if (person.isPlatformAdmin) return true;
  return person.roles.some((g) => (g.role === 'staff' || g.role === 'admin') && g.organization.id === library.id);
}

/** A library's hold lists for staff: copies to pull, the hold shelf, expired holds to clear, holds in transit. */
export function HoldListsPage({ id }: { id: string }) {
  const { t } = useTranslation('circulation');
  const me = useMe();
  const orgName = useOrgName();
  const org = useQuery(organizationQuery(id));
  const [chosenBranch, setBranchId] = useState('');
  const [list, setList] = useState<List>('pull');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (org.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  const title = t('pageTitle', { page: t('holds.staffTitle'), org: isolate(orgName(org.data.names)) });
  if (!isLibraryStaff(me, org.data)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <p role="alert">{t('holds.notStaff')}</p>
      </>
    );
  }
  const branches = org.data.members.filter((m) => m.kind === 'branch');
  const places = branches.length ? branches : [org.data];
  const branchId = chosenBranch || places[0]!.id;
  const branchName = (bid: string) => {
    const found = places.find((p) => p.id === bid);
    return found ? orgName(found.names) : '';
  };
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <div className="desk-controls">
        <SelectField
          label={t('desk.branch')}
          options={places.map((p) => ({ id: p.id, label: orgName(p.names) }))}
          value={branchId}
          onChange={setBranchId}
        />
      </div>
      <ActionOutcome message={message} />
      <Tabs selectedKey={list} onSelectionChange={(key) => setList(key as List)}>
        <TabList aria-label={t('holds.staffLists')} className="desk-tabs">
          {LISTS.map((l) => (
            <Tab key={l} id={l} className="desk-tab">
              {t(`holds.lists.${l}`)}
            </Tab>
          ))}
        </TabList>
        {LISTS.map((l) => (
          <TabPanel key={l} id={l}>
            <HoldList
              libraryId={id}
              list={l}
              branchId={branchId}
              branchName={branchName}
              say={(ok, text) => setMessage({ ok, text })}
            />
          </TabPanel>
        ))}
      </Tabs>
    </>
  );
}

function HoldList({
  libraryId,
  list,
  branchId,
  branchName,
  say,
}: {
  libraryId: string;
  list: List;
  branchId: string;
  branchName: (id: string) => string;
  say: (ok: boolean, text: string) => void;
}) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const holds = useQuery(listQuery(libraryId, list));
  const act = useMutation({
    mutationFn: ({ hold, action }: { hold: Hold; action: 'pull' | 'clear' }) =>
      api<Hold>(`/organizations/${libraryId}/holds/${hold.id}/${action}`, {
        method: 'POST',
        ...(action === 'pull' ? { body: { atBranchId: branchId } } : {}),
      }),
    onSuccess: async (hold) => {
      await client.invalidateQueries({ queryKey: ['holds', 'staff', libraryId] });
      say(
        true,
        t('titleStatus', {
          title: isolate(hold.title ?? t('holds.untitled')),
          status: t(`holds.status.${hold.status}`),
        }),
      );
    },
    onError: (error) => say(false, t('holds.refused', { reason: problem(error) })),
  });
  if (holds.isPending) return <Loading />;
  if (holds.isError) return <ErrorState error={holds.error} onRetry={() => void holds.refetch()} />;
  if (holds.data.items.length === 0) return <Empty>{t('holds.emptyList')}</Empty>;
  const action = list === 'pull' ? 'pull' : list === 'transit' ? 'pull' : list === 'expired' ? 'clear' : null;
  const label = list === 'pull' ? t('holds.markPulled') : list === 'transit' ? t('holds.arrived') : t('holds.clear');
  return (
    <ul className="hold-list">
      {holds.data.items.map((hold) => (
        <li key={hold.id}>
          <article className="hold-card" aria-labelledby={`staff-hold-${hold.id}`}>
            <h3 id={`staff-hold-${hold.id}`}>
              <Link to="/works/$id" params={{ id: hold.workId }}>
                <bdi dir="auto">{hold.title ?? t('holds.untitled')}</bdi>
              </Link>
            </h3>
            <ul className="hold-facts">
              <li>{t(`holds.status.${hold.status}`)}</li>
              <li>{t('holds.pickupAt', { branch: branchName(hold.pickupBranchId) })}</li>
              <li>{t('holds.placedOn', { date: format.date(hold.placedAt) })}</li>
              {hold.expiresAt ? (
                <li>{t('holds.readyUntil', { date: format.zonedDateTime(hold.expiresAt, hold.pickupTimeZone) })}</li>
              ) : null}
            </ul>
            {action ? (
              <Button className="button" isDisabled={act.isPending} onPress={() => act.mutate({ hold, action })}>
                {label}
              </Button>
            ) : null}
          </article>
        </li>
      ))}
    </ul>
  );
}
