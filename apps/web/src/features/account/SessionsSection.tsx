import type { SessionSummary } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { QueryResult, StatusMessage } from '../../components/states';
import { api } from '../../lib/api';
import { useFormat } from '../../lib/format';

const sessionsKey = ['my-sessions'] as const;

/** A short, readable name for a browser from its user-agent string. */
function describeAgent(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser =
    /(Edg|OPR|Firefox|Chrome|Chromium|Safari)\/[\d.]+/
      .exec(userAgent)?.[0]
      ?.replace('Edg', 'Edge')
      .replace('OPR', 'Opera') ?? null;
  const system =
    /(Windows NT [\d.]+|Android [\d.]+|iPhone OS [\d_]+|Mac OS X [\d_.]+|Linux|CrOS)/
      .exec(userAgent)?.[0]
      ?.replace(/_/g, '.') ?? null;
  return [browser?.split('.')[0], system].filter(Boolean).join(' · ') || userAgent.slice(0, 60);
}

/** What the confirmation says: how many sessions will end, and that this one stays. */
export function EndOthersQuestion({ count }: { count: number }) {
  const { t } = useTranslation('account');
  return <p>{t('sessions.endOthersQuestion', { count })}</p>;
}

/**
 * Signs out every other session after asking, naming how many will end. Cancelling returns focus
 * to the button; after confirming, focus goes to `focusAfter` (the button is then disabled).
 */
export function EndOtherSessions({
  others,
  onEnd,
  focusAfter,
}: {
  others: number;
  onEnd: () => Promise<unknown>;
  focusAfter: () => HTMLElement | null;
}) {
  const { t } = useTranslation('account');
  // The count when the question was asked: the list refreshes before the dialog closes.
  const [asking, setAsking] = useState<number | null>(null);
  return (
    <div className="inline-actions">
      <Button className="button" onPress={() => setAsking(others)} isDisabled={others === 0}>
        {t('sessions.endOthers')}
      </Button>
      <ConfirmDialog
        isOpen={asking !== null}
        onOpenChange={(open) => setAsking(open ? others : null)}
        title={t('sessions.endOthersTitle')}
        confirmLabel={t('sessions.endOthers')}
        focusAfter={focusAfter}
        onConfirm={onEnd}
      >
        <EndOthersQuestion count={asking ?? others} />
      </ConfirmDialog>
    </div>
  );
}

export function SessionsSection() {
  const { t } = useTranslation(['account', 'common', 'errors']);
  const format = useFormat();
  const client = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const sessions = useQuery({
    queryKey: sessionsKey,
    queryFn: () => api<{ items: SessionSummary[] }>('/sessions'),
  });
  const revokeOthers = useMutation({
    mutationFn: () => api<{ ended: number }>('/sessions/revoke-others', { method: 'POST' }),
    onSuccess: async ({ ended }) => {
      await client.invalidateQueries({ queryKey: sessionsKey });
      setMessage(t('account:sessions.endedOthers', { count: ended }));
    },
  });

  const endOne = async (id: string) => {
    await api(`/sessions/${id}`, { method: 'DELETE' });
    await client.invalidateQueries({ queryKey: sessionsKey });
    setMessage(t('account:sessions.ended'));
  };

  const others = sessions.data?.items.filter((s) => !s.current).length ?? 0;

  return (
    <section aria-labelledby="sessions" className="panel">
      <h2 id="sessions" tabIndex={-1}>
        {t('account:sessions.title')}
      </h2>
      <p>{t('account:sessions.intro')}</p>
      <StatusMessage>{message}</StatusMessage>
      <QueryResult query={sessions} isEmpty={(data) => data.items.length === 0} empty={t('account:sessions.empty')}>
        {(data) => (
          <>
            <DataTable
              caption={t('account:sessions.caption')}
              columns={[
                t('account:sessions.device'),
                t('account:sessions.address'),
                t('account:sessions.started'),
                t('account:sessions.lastSeen'),
                t('common:table.actions'),
              ]}
            >
              {data.items.map((session) => {
                const device = describeAgent(session.userAgent) ?? t('account:sessions.unknownDevice');
                return (
                  <tr key={session.id}>
                    <td>
                      <bdi dir="ltr">{device}</bdi>
                      {session.current ? <span className="badge badge-ok">{t('account:sessions.current')}</span> : null}
                    </td>
                    <td>
                      <bdi dir="ltr">{session.ip ?? t('account:sessions.unknownAddress')}</bdi>
                    </td>
                    <td>{format.dateTime(session.createdAt)}</td>
                    <td>{format.dateTime(session.lastSeenAt)}</td>
                    <td>
                      {session.current ? (
                        <span className="muted">{t('account:sessions.thisDevice')}</span>
                      ) : (
                        <ConfirmDialog
                          focusAfter={() => document.getElementById('sessions')}
                          trigger={t('account:sessions.end')}
                          triggerLabel={t('account:sessions.endLabel', {
                            device,
                            date: format.dateTime(session.createdAt),
                          })}
                          title={t('account:sessions.endTitle')}
                          confirmLabel={t('account:sessions.end')}
                          onConfirm={() => endOne(session.id)}
                        >
                          <p>{t('account:sessions.endQuestion', { device })}</p>
                        </ConfirmDialog>
                      )}
                    </td>
                  </tr>
                );
              })}
            </DataTable>
            <EndOtherSessions
              others={others}
              onEnd={() => revokeOthers.mutateAsync()}
              focusAfter={() => document.getElementById('sessions')}
            />
          </>
        )}
      </QueryResult>
    </section>
  );
}
