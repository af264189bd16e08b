import type { Me } from '@athenaeum/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { languageOptions } from '../../app/LanguageSwitcher';
import { isLocale, switchLanguage } from '../../app/i18n';
import { ErrorSummary, FormAlert, SelectField, SubmitButton, TextInput, useValidators } from '../../components/forms';
import { useForm } from '../../components/useForm';
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
  const form = useForm(
    { displayName: me.displayName, locale: me.locale as string },
    { displayName: validators.required },
  );

  const save = useMutation({
    mutationFn: (body: { displayName: string; locale: string }) => api<Me>('/me', { method: 'PATCH', body }),
    onSuccess: async (person) => {
      updateMe(client, person);
      if (isLocale(person.locale)) await switchLanguage(person.locale);
    },
    onError: (error) => form.setServerErrors(error instanceof ApiError ? error.fieldErrors() : {}),
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
        validationBehavior="aria"
        onSubmit={form.handleSubmit((values) =>
          save.mutate({ displayName: values.displayName.trim(), locale: values.locale }),
        )}
      >
        {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
        <FormAlert>{save.isError ? problem(save.error) : null}</FormAlert>
        <TextInput {...form.field('displayName')} label={t('account:profile.displayName')} isRequired maxLength={100} />
        <SelectField
          {...form.field('locale')}
          label={t('account:profile.language')}
          description={t('account:profile.languageHelp')}
          options={languageOptions()}
        />
        <SubmitButton isPending={save.isPending}>{t('account:profile.save')}</SubmitButton>
        <StatusMessage>{save.isSuccess && !save.isPending ? t('account:profile.saved') : null}</StatusMessage>
      </Form>
    </section>
  );
}
