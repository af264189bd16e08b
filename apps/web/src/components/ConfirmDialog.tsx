import { useState, type ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useProblemMessage } from '../lib/problems';

interface ConfirmDialogProps {
  /** The button that opens the dialog. */
  trigger: ReactNode;
  triggerLabel?: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Runs on confirm; the dialog stays open and shows the error if it throws. */
  onConfirm: () => Promise<unknown>;
  tone?: 'danger' | 'normal';
  /**
   * Where focus goes after a confirmed action. The trigger usually disappears with what it acted
   * on, so focus cannot return to it.
   */
  focusAfter?: () => HTMLElement | null;
}

/** Asks before an irreversible action; focus returns to the trigger when it closes. */
export function ConfirmDialog({
  focusAfter,
  trigger,
  triggerLabel,
  title,
  children,
  confirmLabel,
  onConfirm,
  tone = 'danger',
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  return (
    <DialogTrigger
      isOpen={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setError(null);
      }}
    >
      <Button className={`button ${tone === 'danger' ? 'button-danger' : ''}`} aria-label={triggerLabel}>
        {trigger}
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable={!pending}>
        <Modal className="modal">
          <Dialog role="alertdialog" className="dialog">
            {({ close }) => (
              <>
                <Heading slot="title" className="dialog-title">
                  {title}
                </Heading>
                <div className="dialog-body">{children}</div>
                {error ? (
                  <p role="alert" className="alert alert-error">
                    {problem(error)}
                  </p>
                ) : null}
                <div className="dialog-actions">
                  <Button className="button" onPress={close} isDisabled={pending} autoFocus>
                    {t('action.cancel')}
                  </Button>
                  <Button
                    className={`button ${tone === 'danger' ? 'button-danger' : 'button-primary'}`}
                    // Not isPending: its announcement would name a button that is gone once the dialog
                    // closes (axe: role-img-alt).
                    isDisabled={pending}
                    onPress={async () => {
                      setPending(true);
                      setError(null);
                      try {
                        await onConfirm();
                        setPending(false);
                        close();
                        // After React Aria has tried to restore focus to the (now gone) trigger.
                        if (focusAfter) requestAnimationFrame(() => requestAnimationFrame(() => focusAfter()?.focus()));
                      } catch (caught) {
                        setPending(false);
                        setError(caught);
                      }
                    }}
                  >
                    {confirmLabel}
                  </Button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}
