import type { Me } from '@athenaeum/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { languageOptions } from '../../app/LanguageSwitcher';
import { isLocale, switchLanguage } from '../../app/i18n';
import { FormAlert, SelectField, SubmitButton, TextInput, useValidators } from '../../components/forms';
import { StatusMessage } from '../../components/states';
import { api, ApiError } from '../../lib/api';
import { useFormat } from '../../lib/format';
import { useProblemMessage } from '../../lib/problems';
import { updateMe } from '../../lib/session';

export function ProfileSection({ me }: { me: Me }) {
  const { t } = useTranslation(['account', 'common', 'errors']);
  const problem = useProblemMessage();
  const format = useFormat();
  const validators = useValidators();
  const client = useQueryClient();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [locale, setLocale] = useState<string>(me.locale);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: (body: { displayName: string; locale: string }) => api<Me>('/me', { method: 'PATCH', body }),
    onSuccess: async (person) => {
      updateMe(client, person);
      if (isLocale(person.locale)) await switchLanguage(person.locale);
    },
    onError: (error) => setFieldErrors(error instanceof ApiError ? error.fieldErrors() : {}),
  });
  const resend = useMutation({ mutationFn: () => api('/accounts/verification/resend', { method: 'POST' }) });

  return (
    <section aria-labelledby="profile" className="panel">
      <h2 id="profile">{t('account:profile.title')}</h2>
      <dl className="facts">
        <dt>{t('account:profile.email')}</dt>
        <dd>
          <bdi>{me.email}</bdi>{' '}
          {me.emailVerified ? (
            <span className="badge badge-ok">{t('account:profile.verified')}</span>
          ) : (
            <span className="badge badge-warn">{t('account:profile.notVerified')}</span>
          )}
        </dd>
        <dt>{t('account:profile.memberSince')}</dt>
        <dd>{format.date(me.createdAt)}</dd>
      </dl>
      {me.emailVerified ? null : (
        <div className="inline-actions">
          <Button className="button" onPress={() => resend.mutate()} isPending={resend.isPending}>
            {t('account:profile.resend')}
          </Button>
          {resend.isError ? (
            <p role="alert" className="alert alert-error">
              {problem(resend.error)}
            </p>
          ) : null}
        </div>
      )}
      <StatusMessage>{resend.isSuccess ? t('account:profile.resent', { email: me.email }) : null}</StatusMessage>

      <Form
        className="form"
        validationErrors={fieldErrors}
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ displayName: displayName.trim(), locale });
        }}
      >
        <FormAlert>{save.isError ? problem(save.error) : null}</FormAlert>
        <TextInput
          name="displayName"
          label={t('account:profile.displayName')}
          value={displayName}
          onChange={setDisplayName}
          isRequired
          maxLength={100}
          validate={validators.required}
        />
        <SelectField
          name="locale"
          label={t('account:profile.language')}
          description={t('account:profile.languageHelp')}
          options={languageOptions()}
          value={locale}
          onChange={setLocale}
        />
        <SubmitButton isPending={save.isPending}>{t('account:profile.save')}</SubmitButton>
        <StatusMessage>{save.isSuccess && !save.isPending ? t('account:profile.saved') : null}</StatusMessage>
      </Form>
    </section>
  );
}
