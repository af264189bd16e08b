import { describe, expect, it } from 'vitest';
import account from '../../locales/en/account.json';
import { renderInEnglish } from '../../test/render-in';
import { EndOtherSessions, EndOthersQuestion } from './SessionsSection';

const render = await renderInEnglish('account', account);
const end = async () => ({ ended: 0 });
const heading = () => null;

describe('signing out all other sessions', () => {
  it('only offers a button that asks first: nothing ends and no dialog shows until it is pressed', () => {
    const html = render(<EndOtherSessions others={2} onEnd={end} focusAfter={heading} />);
    expect(html).toContain('>Sign out all other sessions</button>');
    expect(html).not.toContain('disabled');
    expect(html).not.toContain('alertdialog');
  });

  it('is disabled when there is no other session', () => {
    const html = render(<EndOtherSessions others={0} onEnd={end} focusAfter={heading} />);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Sign out all other sessions<\/button>/);
  });

  it('says how many sessions will end, and that this one stays', () => {
    expect(render(<EndOthersQuestion count={1} />)).toBe(
      '<p>1 other session will end at once; signing in there will be needed again. You stay signed in here.</p>',
    );
    expect(render(<EndOthersQuestion count={3} />)).toContain('3 other sessions will end at once');
  });
});
