import type { ApiToken, CreatedApiToken, Me, TokenScope } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Button, Checkbox, CheckboxGroup, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorSummary, FormAlert, SubmitButton, TextInput, useValidators } from '../../components/forms';
import { useForm } from '../../components/useForm';
import { useOrgName } from '../../components/OrgName';
import { DataTable } from '../../components/DataTable';
import { QueryResult, StatusMessage } from '../../components/states';
import { api, ApiError } from '../../lib/api';
import { useFormat } from '../../lib/format';
import { useProblemMessage } from '../../lib/problems';

const tokensKey = ['my-tokens'] as const;

function CheckIcon() {
  return (
    <svg viewBox="0 0 18 18" aria-hidden="true" className="checkbox-icon">
      <polyline points="3 9 7 13 15 5" />
    </svg>
  );
}

function NewTokenSecret({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const { t } = useTranslation(['account', 'common']);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <div className="panel secret" aria-labelledby="new-token-title">
      <h3 id="new-token-title" tabIndex={-1}>
        {t('account:tokens.createdTitle', { name: token.name })}
      </h3>
      <p className="alert alert-info">{t('account:tokens.onlyOnce')}</p>
      <TextField value={token.token} isReadOnly className="field">
        <Label>{t('account:tokens.secret')}</Label>
        <div className="copy-row">
          <Input ref={input} className="mono" dir="ltr" onFocus={(event) => event.currentTarget.select()} />
          <Button className="button button-primary" onPress={() => void copy()}>
            {t('account:tokens.copy')}
          </Button>
        </div>
        <Text slot="description" className="field-description">
          {t('account:tokens.secretHelp')}
        </Text>
      </TextField>
      <StatusMessage>
        {copied === 'yes' ? t('account:tokens.copied') : copied === 'no' ? t('account:tokens.copyFailed') : null}
      </StatusMessage>
      <Button className="button" onPress={onDone}>
        {t('account:tokens.done')}
      </Button>
    </div>
  );
}

export function TokensSection({ me }: { me: Me }) {
  const { t } = useTranslation(['account', 'common', 'errors']);
  const format = useFormat();
  const orgName = useOrgName();
  const validators = useValidators();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const [scopes, setScopes] = useState<string[]>([]);
  const form = useForm({ name: '' }, { name: validators.required });
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => api<{ items: ApiToken[] }>('/tokens') });
  const create = useMutation({
    mutationFn: (body: { name: string; scopes: TokenScope[] }) =>
      api<CreatedApiToken>('/tokens', { method: 'POST', body }),
    onSuccess: async (token) => {
      setCreated(token);
      setScopes([]);
      form.reset();
      setMessage(null);
      await client.invalidateQueries({ queryKey: tokensKey });
      requestAnimationFrame(() => document.getElementById('new-token-title')?.focus());
    },
    onError: (error) => form.setServerErrors(error instanceof ApiError ? error.fieldErrors() : {}),
  });

  const scopeLabel = (scope: TokenScope) => {
    const grant = me.roles.find((g) => g.organization.id === scope.organizationId);
    return t('account:tokens.scope', {
      role: t(`common:roles.${scope.role}`),
      organization: grant ? orgName(grant.organization.names) : scope.organizationId,
    });
  };

  const revoke = async (token: ApiToken) => {
    await api(`/tokens/${token.id}`, { method: 'DELETE' });
    await client.invalidateQueries({ queryKey: tokensKey });
    setMessage(t('account:tokens.revoked', { name: token.name }));
  };

  return (
    <section aria-labelledby="tokens" className="panel">
      <h2 id="tokens" tabIndex={-1}>
        {t('account:tokens.title')}
      </h2>
      <p>{t('account:tokens.intro')}</p>

      {created ? (
        <NewTokenSecret
          token={created}
          onDone={() => {
            setCreated(null);
            requestAnimationFrame(() => document.getElementById('token-name')?.focus());
          }}
        />
      ) : null}

      <h3>{t('account:tokens.createTitle')}</h3>
      <Form
        className="form"
        validationBehavior="aria"
        onSubmit={form.handleSubmit((values) =>
          create.mutate({
            name: values.name.trim(),
            scopes: scopes.map((key) => {
              const [organizationId = '', role = ''] = key.split('|');
              return { organizationId, role } as TokenScope;
            }),
          }),
        )}
      >
        {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
        <FormAlert>{create.isError ? problem(create.error) : null}</FormAlert>
        <TextInput
          {...form.field('name')}
          id="token-name"
          label={t('account:tokens.name')}
          description={t('account:tokens.nameHelp')}
          isRequired
          maxLength={100}
        />
        {me.roles.length === 0 ? (
          <p className="field-description">{t('account:tokens.noRoles')}</p>
        ) : (
          <CheckboxGroup value={scopes} onChange={setScopes} className="field checkbox-group">
            <Label>{t('account:tokens.scopes')}</Label>
            <Text slot="description" className="field-description">
              {t('account:tokens.scopesHelp')}
            </Text>
            {me.roles.map((grant) => (
              <Checkbox key={grant.id} value={`${grant.organization.id}|${grant.role}`} className="checkbox">
                <span className="checkbox-box">
                  <CheckIcon />
                </span>
                {scopeLabel({ organizationId: grant.organization.id, role: grant.role })}
              </Checkbox>
            ))}
          </CheckboxGroup>
        )}
        <SubmitButton isPending={create.isPending}>{t('account:tokens.create')}</SubmitButton>
      </Form>

      <h3>{t('account:tokens.listTitle')}</h3>
      <StatusMessage>{message}</StatusMessage>
      <QueryResult query={tokens} isEmpty={(data) => data.items.length === 0} empty={t('account:tokens.empty')}>
        {(data) => (
          <DataTable
            caption={t('account:tokens.caption')}
            columns={[
              t('account:tokens.name'),
              t('account:tokens.prefix'),
              t('account:tokens.scopes'),
              t('account:tokens.created'),
              t('account:tokens.lastUsed'),
              t('common:table.actions'),
            ]}
          >
            {data.items.map((token) => (
              <tr key={token.id}>
                <td>
                  <bdi>{token.name}</bdi>
                </td>
                <td>
                  <code dir="ltr">{token.prefix}…</code>
                </td>
                <td>
                  {token.scopes.length === 0 ? (
                    <span className="muted">{t('account:tokens.noScopes')}</span>
                  ) : (
                    <ul className="plain-list">
                      {token.scopes.map((scope) => (
                        <li key={`${scope.organizationId}|${scope.role}`}>{scopeLabel(scope)}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{format.dateTime(token.createdAt)}</td>
                <td>{token.lastUsedAt ? format.dateTime(token.lastUsedAt) : t('account:tokens.never')}</td>
                <td>
                  {token.revokedAt ? (
                    <span className="badge">
                      {t('account:tokens.revokedOn', { date: format.date(token.revokedAt) })}
                    </span>
                  ) : (
                    <ConfirmDialog
                      focusAfter={() => document.getElementById('tokens')}
                      trigger={t('account:tokens.revoke')}
                      triggerLabel={t('account:tokens.revokeLabel', { name: token.name })}
                      title={t('account:tokens.revokeTitle')}
                      confirmLabel={t('account:tokens.revoke')}
                      onConfirm={() => revoke(token)}
                    >
                      <p>{t('account:tokens.revokeQuestion', { name: token.name })}</p>
                    </ConfirmDialog>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryResult>
    </section>
  );
}
