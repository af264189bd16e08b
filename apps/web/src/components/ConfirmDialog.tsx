import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useProblemMessage } from '../lib/problems';

interface ConfirmDialogProps {
  /** The button that opens the dialog; without one, `isOpen` and `onOpenChange` open and close it. */
  trigger?: ReactNode;
  triggerLabel?: string;
  isTriggerDisabled?: boolean;
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
  /** Without a trigger: whether the dialog is open (focus returns to where it was when it closes). */
  isOpen?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** The words of the button that closes the dialog without acting; "Cancel" unless given. */
  dismissLabel?: string;
  /** Whether the action cannot be confirmed (yet): the dialog's text says why. */
  isConfirmDisabled?: boolean;
}

/** Asks before an irreversible action; focus returns to the trigger when it closes. */
export function ConfirmDialog({
  focusAfter,
  isOpen,
  onOpenChange,
  dismissLabel,
  isConfirmDisabled = false,
  trigger,
  triggerLabel,
  isTriggerDisabled,
  title,
  children,
  confirmLabel,
  onConfirm,
  tone = 'danger',
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  const [ownOpen, setOwnOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Whether the action was confirmed (and ran, or runs): focus then goes to focusAfter once the
  // dialog's content is gone, however it went (closed, or removed with the row it acted on).
  const acted = useRef(false);
  const controlled = trigger === undefined;
  const open = controlled ? Boolean(isOpen) : ownOpen;
  const openChange = (next: boolean) => {
    if (controlled) onOpenChange?.(next);
    else setOwnOpen(next);
    setError(null);
  };

  const overlay = (
    <ModalOverlay
      className="modal-overlay"
      // While the action runs it cannot be dismissed, by pointer or Escape: its outcome decides.
      isDismissable={!pending}
      isKeyboardDismissDisabled={pending}
      {...(controlled ? { isOpen: open, onOpenChange: openChange } : {})}
    >
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog">
          {({ close }) => (
            <>
              {focusAfter ? (
                <WhenGone
                  run={() => {
                    if (!acted.current) return;
                    acted.current = false;
                    // After React Aria has tried to restore focus to the trigger, which is usually gone.
                    requestAnimationFrame(() => requestAnimationFrame(() => focusAfter()?.focus()));
                  }}
                />
              ) : null}
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
                  {dismissLabel ?? t('action.cancel')}
                </Button>
                <Button
                  className={`button ${tone === 'danger' ? 'button-danger' : 'button-primary'}`}
                  // Not isPending: its announcement would name a button that is gone once the dialog
                  // closes (axe: role-img-alt).
                  isDisabled={pending || isConfirmDisabled}
                  onPress={async () => {
                    setPending(true);
                    setError(null);
                    acted.current = true;
                    try {
                      await onConfirm();
                      setPending(false);
                      close();
                    } catch (caught) {
                      acted.current = false;
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
  );
  if (controlled) return overlay;
  return (
    <DialogTrigger isOpen={open} onOpenChange={openChange}>
      <Button
        className={`button ${tone === 'danger' ? 'button-danger' : ''}`}
        aria-label={triggerLabel}
        isDisabled={isTriggerDisabled}
      >
        {trigger}
      </Button>
      {overlay}
    </DialogTrigger>
  );
}

/** Runs `run` when it unmounts: with the dialog's content, once the dialog has gone. */
function WhenGone({ run }: { run: () => void }) {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => () => latest.current(), []);
  return null;
}
