import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FormAlert, SubmitButton, TextInput, useValidators } from '../../components/forms';
import { PageTitle } from '../../components/Page';
import { StatusMessage } from '../../components/states';
import { api, ApiError } from '../../lib/api';
import { useProblemMessage } from '../../lib/problems';
import { rememberSession } from '../../lib/session';

export function ResetPasswordPage({ token }: { token?: string | undefined }) {
  const { t } = useTranslation(['auth', 'common', 'errors']);
  const problem = useProblemMessage();
  const validators = useValidators();
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const reset = useMutation({
    mutationFn: (newPassword: string) =>
      api('/password-resets/complete', { method: 'POST', body: { token, password: newPassword } }),
    // A reset signs out every session, this one included.
    onSuccess: () => rememberSession(client, null),
    onError: (error) => setFieldErrors(error instanceof ApiError ? error.fieldErrors() : {}),
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
          validationErrors={fieldErrors}
          onSubmit={(event) => {
            event.preventDefault();
            reset.mutate(password);
          }}
        >
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
            name="password"
            type="password"
            autoComplete="new-password"
            label={t('auth:reset.newPassword')}
            description={t('auth:fields.passwordHelp', { count: 10 })}
            isRequired
            value={password}
            onChange={setPassword}
            validate={validators.password}
          />
          <TextInput
            name="confirm"
            type="password"
            autoComplete="new-password"
            label={t('auth:reset.confirmPassword')}
            isRequired
            validate={(value) => validators.required(value) ?? (value === password ? null : t('auth:reset.mismatch'))}
          />
          <SubmitButton isPending={reset.isPending}>{t('auth:reset.submit')}</SubmitButton>
        </Form>
      )}
    </div>
  );
}
