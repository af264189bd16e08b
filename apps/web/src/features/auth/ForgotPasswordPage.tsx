import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, FormAlert, SubmitButton, useValidators } from '../../components/forms';
import { PageTitle } from '../../components/Page';
import { StatusMessage } from '../../components/states';
import { useForm } from '../../components/useForm';
import { api, ApiError } from '../../lib/api';
import { useProblemMessage } from '../../lib/problems';
import { EmailInput } from './EmailInput';

export function ForgotPasswordPage() {
  const { t } = useTranslation(['auth', 'common', 'errors']);
  const problem = useProblemMessage();
  const validators = useValidators();
  const form = useForm({ email: '' }, { email: validators.email });
  const request = useMutation({
    mutationFn: async (email: string) => {
      await api('/password-resets', { method: 'POST', body: { email } });
      return email;
    },
    onError: (error) => form.setServerErrors(error instanceof ApiError ? error.fieldErrors() : {}),
  });

  return (
    <div className="narrow">
      <PageTitle>{t('auth:forgot.title')}</PageTitle>
      <StatusMessage>{request.isSuccess ? t('auth:forgot.done', { email: request.data }) : null}</StatusMessage>
      {request.isSuccess ? (
        <p>
          <Link to="/sign-in">{t('auth:signIn.title')}</Link>
        </p>
      ) : (
        <>
          <p>{t('auth:forgot.intro')}</p>
          <Form
            className="form"
            validationBehavior="aria"
            onSubmit={form.handleSubmit((values) => request.mutate(values.email.trim()))}
          >
            {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
            <FormAlert>{request.isError ? problem(request.error) : null}</FormAlert>
            <EmailInput {...form.field('email')} />
            <SubmitButton isPending={request.isPending}>{t('auth:forgot.submit')}</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}
