import { describe, expect, it } from 'vitest';
import common from '../locales/en/common.json';
import { renderInEnglish } from '../test/render-in';
import { ConfirmDialog } from './ConfirmDialog';

const render = await renderInEnglish('common', common);
const confirm = async () => undefined;

describe('the confirmation dialog', () => {
  it('shows its trigger, named and disabled as asked, and nothing of the dialog until pressed', () => {
    const html = render(
      <ConfirmDialog
        trigger="Cancel hold"
        triggerLabel="Cancel hold: Dom Casmurro"
        isTriggerDisabled
        title="Cancel?"
        confirmLabel="Yes"
        onConfirm={confirm}
      >
        <p>Text</p>
      </ConfirmDialog>,
    );
    expect(html).toContain('aria-label="Cancel hold: Dom Casmurro"');
    expect(html).toContain('disabled=""');
    expect(html).toContain('>Cancel hold</button>');
    expect(html).not.toContain('alertdialog');
  });

  it('without a trigger shows nothing while it is closed', () => {
    expect(
      render(
        <ConfirmDialog isOpen={false} onOpenChange={() => {}} title="Forget?" confirmLabel="Forget" onConfirm={confirm}>
          <p>Text</p>
        </ConfirmDialog>,
      ),
    ).toBe('');
  });
});
