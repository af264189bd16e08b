import { useRef, useState, type FormEvent } from 'react';

type Values<K extends string> = Record<K, string>;
type Validator<K extends string> = (value: string, values: Values<K>) => string | null;

/**
 * Form state with our own validation, shown after the first submit and then updated as the
 * person types (React Aria's native mode only updates errors on blur, so a message vanishing on
 * blur moved the submit button from under the pointer). Errors are translated by the
 * validators; the server's field errors stay until the field is edited.
 */
export function useForm<K extends string>(initial: Values<K>, validators: Partial<Record<K, Validator<K>>>) {
  const [values, setValues] = useState<Values<K>>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<K, string>>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const names = Object.keys(initial) as K[];

  const validate = (current: Values<K>) => {
    const out: Partial<Record<K, string>> = {};
    for (const name of names) {
      const error = validators[name]?.(current[name], current);
      if (error) out[name] = error;
    }
    return out;
  };

  const errors: Partial<Record<K, string>> = { ...serverErrors, ...(submitted ? validate(values) : {}) };
  const errorCount = names.filter((name) => errors[name]).length;

  const focusFirstError = (found: Partial<Record<K, string>>) => {
    const first = names.find((name) => found[name]);
    if (!first) return;
    requestAnimationFrame(() => {
      const field = formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`);
      // A React Aria Select keeps its value in a hidden <select>; its button is the thing to focus.
      const target =
        field?.closest('.field')?.querySelector<HTMLElement>('input:not([type=hidden]):not([aria-hidden]), button') ??
        field;
      target?.focus();
    });
  };

  return {
    values,
    errors,
    errorCount,
    /** True after a submit that found errors (the summary is shown then). */
    showSummary: submitted && errorCount > 0,
    /** Props for a TextInput or SelectField. */
    field: (name: K) => ({
      name,
      value: values[name],
      onChange: (value: string) => {
        setValues((old) => ({ ...old, [name]: value }));
        setServerErrors((old) => {
          if (!(name in old)) return old;
          const next = { ...old };
          delete next[name];
          return next;
        });
      },
      errorMessage: errors[name],
    }),
    setServerErrors: (fieldErrors: Record<string, string>) => {
      const mine = Object.fromEntries(Object.entries(fieldErrors).filter(([name]) => names.includes(name as K)));
      setServerErrors(mine as Partial<Record<K, string>>);
      focusFirstError(mine as Partial<Record<K, string>>);
    },
    reset: () => {
      setValues(initial);
      setSubmitted(false);
      setServerErrors({});
    },
    handleSubmit: (onValid: (values: Values<K>) => void) => (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      formRef.current = event.currentTarget;
      setSubmitted(true);
      const found = validate(values);
      if (Object.keys(found).length > 0) {
        focusFirstError(found);
        return;
      }
      onValid(values);
    },
  };
}
