import { beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  expectNoSeriousViolations,
  organizationId,
  searchCatalogue,
  signIn,
  text,
  useBrowser,
  waitForCatalogue,
} from './helpers.js';

interface WorkView {
  id: string;
  title: string;
  records: Array<{ id: string; libraryId: string }>;
}

const pt = (key: string, values: Record<string, string | number> = {}) => text('pt', key, values);

/** The API's answer for a work, redirects not followed (a merged work's address leads to the other). */
async function work(id: string): Promise<{ status: number; body: WorkView | null; location: string | null }> {
  const response = await fetch(`${baseUrl()}/api/v1/catalog/works/${id}`, { redirect: 'manual' });
  return {
    status: response.status,
    body: response.ok ? ((await response.json()) as WorkView) : null,
    location: response.headers.get('location'),
  };
}

/**
 * A work of the demo catalogue with a few records, one of them São Paulo's (the demo catalogue is
 * still being imported by its background job when the server starts: asked again until one is).
 */
async function workToSplit(libraryId: string): Promise<WorkView> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const page = await searchCatalogue(`library=${libraryId}&pageSize=100`);
    for (const hit of page.items) {
      const candidate = (await work(hit.id)).body;
      if (candidate && candidate.records.length >= 2 && candidate.records.length <= 10) return candidate;
    }
    if (Date.now() > deadline) throw new Error('No work with two records held in São Paulo among the first 100');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

// axe on the clustering section (and a dialog it opened): the rest of the page is other journeys' to check.
const CLUSTERING = ['section.work-clustering', '.modal-overlay'];

describe('work clustering by catalogue staff', () => {
  const browser = useBrowser();
  beforeAll(async () => {
    await waitForCatalogue();
  }, 300_000);

  it('a librarian splits a record off a work and merges it back and undoes the merge and the undo, by keyboard, with confirmations and announcements', async () => {
    const { context, page } = await browser.newPage();
    const library = await organizationId('SPBIB');
    const original = await workToSplit(library);
    await signIn(page, 'librarian.saopaulo@demo.athenaeum.org', undefined, 'en', 'pt');
    await page.goto(`/works/${original.id}`);
    const section = page.locator('section.work-clustering');
    const focusOnHeading = () => page.waitForFunction(() => document.activeElement?.id === 'work-clustering');
    await page.getByRole('heading', { level: 2, name: pt('catalog:clustering.title') }).waitFor();
    await section.locator('#clustering-table tbody tr').first().waitFor();
    await expectNoSeriousViolations(page, 'work page with clustering', CLUSTERING);

    // Every record listed; split the last one off by keyboard.
    const boxes = section.getByRole('checkbox');
    expect(await boxes.count()).toBe(original.records.length);
    await boxes.last().focus();
    await page.keyboard.press('Space');
    await section.getByText(pt('catalog:clustering.selectedCount_one', { count: 1 })).waitFor();
    await section.getByRole('button', { name: pt('catalog:clustering.split') }).click();
    const dialog = page.getByRole('alertdialog', { name: pt('catalog:clustering.splitTitle') });
    await dialog.waitFor();
    await expectNoSeriousViolations(page, 'split confirmation', CLUSTERING);
    await dialog.getByRole('button', { name: pt('catalog:clustering.splitConfirm') }).click();
    const status = section.getByRole('status');
    await status.getByText(pt('catalog:clustering.splitDone_one', { count: 1 })).waitFor();
    // The Split button went with the selection: focus is on the section's heading, not the page's start.
    await focusOnHeading();
    const href = await status.getByRole('link', { name: pt('catalog:clustering.openNewWork') }).getAttribute('href');
    const newWorkId = href!.split('/').pop()!;
    expect((await work(original.id)).body!.records).toHaveLength(original.records.length - 1);
    expect((await work(newWorkId)).body!.records).toHaveLength(1);
    await section.getByText(pt('catalog:clustering.splitOut_one', { count: 1 })).waitFor();
    await section.screenshot({ path: '/tmp/athenaeum-clustering.png' });

    // An address of no work: the field and the dialog say so, and the merge cannot be confirmed.
    const otherField = section.getByLabel(pt('catalog:clustering.otherWork'));
    await otherField.fill(`${baseUrl()}/works/00000000-0000-4000-8000-000000000000`);
    await section.getByText(pt('catalog:clustering.otherWorkNotFound')).waitFor();
    await section.getByRole('button', { name: pt('catalog:clustering.merge') }).click();
    const confirm = page.getByRole('alertdialog', { name: pt('catalog:clustering.mergeConfirmTitle') });
    await confirm.getByRole('alert').getByText(pt('catalog:clustering.otherWorkNotFound')).waitFor();
    expect(await confirm.getByRole('button', { name: pt('catalog:clustering.mergeConfirm') }).isDisabled()).toBe(true);
    await confirm.getByRole('button', { name: pt('common:action.cancel') }).click();

    // Merge it back: paste the new work's address; the dialog names the work and its editions; confirm.
    const splitOff = (await work(newWorkId)).body!;
    await otherField.fill(`${baseUrl()}${href}`);
    await section.getByRole('button', { name: pt('catalog:clustering.merge') }).click();
    await confirm.getByText(splitOff.title, { exact: true }).waitFor();
    expect(await confirm.locator('.merge-preview').textContent()).toContain(
      pt('catalog:record.editions_one', { count: 1 }),
    );
    await expectNoSeriousViolations(page, 'merge confirmation naming the other work', CLUSTERING);
    await confirm.getByRole('button', { name: pt('catalog:clustering.mergeConfirm') }).click();
    await status.getByText(pt('catalog:clustering.mergeDone_one', { count: 1 })).waitFor();
    await focusOnHeading();
    await section.getByText(pt('catalog:clustering.mergedIn_one', { count: 1 })).waitFor();
    expect((await work(original.id)).body!.records.map((r) => r.id).sort()).toEqual(
      original.records.map((r) => r.id).sort(),
    );
    // The split-off work is gone: its address leads to the work its record joined.
    expect(await work(newWorkId)).toMatchObject({ status: 301, location: `/api/v1/catalog/works/${original.id}` });

    // Undo the merge (the split-off work comes back with its id), then undo that undo.
    const undo = async () => {
      await section.getByRole('button', { name: pt('catalog:clustering.undo') }).click();
      const dialog = page.getByRole('alertdialog', { name: pt('catalog:clustering.undoTitle') });
      await dialog.getByRole('button', { name: pt('catalog:clustering.undoConfirm') }).click();
      // The dialog closes once the undo is done (the announcement reads the same both times).
      await dialog.waitFor({ state: 'detached' });
      await status.getByText(pt('catalog:clustering.undoDone_one', { count: 1 })).waitFor();
      await focusOnHeading();
    };
    await undo();
    expect((await work(newWorkId)).body!.records).toHaveLength(1);
    await undo();
    expect(await work(newWorkId)).toMatchObject({ status: 301, location: `/api/v1/catalog/works/${original.id}` });
    expect((await work(original.id)).body!.records).toHaveLength(original.records.length);
    await expectNoSeriousViolations(page, 'work page after the decisions', CLUSTERING);
    await context.close();
  }, 180_000);

  it('shows no clustering section to visitors', async () => {
    const { context, page } = await browser.newPage();
    const library = await organizationId('SPBIB');
    const some = (await searchCatalogue(`library=${library}&pageSize=1`)).items[0]!;
    await page.goto(`/works/${some.id}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.loading'));
    expect(await page.locator('section.work-clustering').count()).toBe(0);
    await context.close();
  });
});
