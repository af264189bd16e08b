import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, FormAlert, SubmitButton, TextInput, useValidators } from '../../components/forms';
import { PageTitle } from '../../components/Page';
import { StatusMessage } from '../../components/states';
import { useForm } from '../../components/useForm';
import { api, ApiError } from '../../lib/api';
import { useProblemMessage } from '../../lib/problems';
import { rememberSession } from '../../lib/session';

export function ResetPasswordPage({ token }: { token?: string | undefined }) {
  const { t } = useTranslation(['auth', 'common', 'errors']);
  const problem = useProblemMessage();
  const validators = useValidators();
  const client = useQueryClient();
  const form = useForm(
    { password: '', confirm: '' },
    {
      password: validators.password,
      confirm: (value, values) =>
        validators.required(value) ?? (value === values.password ? null : t('auth:reset.mismatch')),
    },
  );
  const reset = useMutation({
    mutationFn: (password: string) => api('/password-resets/complete', { method: 'POST', body: { token, password } }),
    // A reset signs out every session, this one included.
    onSuccess: () => rememberSession(client, null),
    onError: (error) => form.setServerErrors(error instanceof ApiError ? error.fieldErrors() : {}),
  });

  return (
    <div className="narrow">
      <PageTitle>{t('auth:reset.title')}</PageTitle>
      <StatusMessage>{reset.isSuccess ? t('auth:reset.done') : null}</StatusMessage>
      {!token ? (
        <div role="alert" className="alert alert-error">
          <p>{t('auth:reset.noToken')}</p>
          <Link to="/forgot-password">{t('auth:forgot.title')}</Link>
        </div>
      ) : reset.isSuccess ? (
        <p>
          <Link to="/sign-in" className="button button-primary">
            {t('auth:signIn.title')}
          </Link>
        </p>
      ) : (
        <Form
          className="form"
          validationBehavior="aria"
          onSubmit={form.handleSubmit((values) => reset.mutate(values.password))}
        >
          {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
          <FormAlert>
            {reset.isError ? (
              <>
                {problem(reset.error)}{' '}
                {reset.error instanceof ApiError && reset.error.code === 'ACCOUNTS_TOKEN_INVALID' ? (
                  <Link to="/forgot-password">{t('auth:reset.askAgain')}</Link>
                ) : null}
              </>
            ) : null}
          </FormAlert>
          <TextInput
            {...form.field('password')}
            type="password"
            autoComplete="new-password"
            label={t('auth:reset.newPassword')}
            description={t('auth:fields.passwordHelp', { count: 10 })}
            isRequired
          />
          <TextInput
            {...form.field('confirm')}
            type="password"
            autoComplete="new-password"
            label={t('auth:reset.confirmPassword')}
            isRequired
          />
          <SubmitButton isPending={reset.isPending}>{t('auth:reset.submit')}</SubmitButton>
        </Form>
      )}
    </div>
  );
}
