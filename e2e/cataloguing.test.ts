import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, expectNoSeriousViolations, organizationId, selectButton, signIn, text, useBrowser } from './helpers.js';

const LIBRARIAN = 'librarian.saopaulo@demo.athenaeum.org';
const WORD = `Quillwort${Date.now().toString(36)}`;

/** A record whose 245 has a first indicator MARC 21 does not define (7), imported as MARC-in-JSON. */
const RECORD = {
  leader: '00000nam a2200000 i 4500',
  fields: [
    { '001': `E2E-${WORD}` },
    { '008': '240101s2024    bl            000 0 por d' },
    { '100': { ind1: '1', ind2: ' ', subfields: [{ a: 'Souza, Mariana.' }] } },
    { '245': { ind1: '7', ind2: '0', subfields: [{ a: `${WORD} and the shelves` }] } },
  ],
};

async function csrf(page: Page): Promise<string> {
  const response = await page.request.get('/api/v1/sessions/current');
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

/** Imports the record into the librarian's library through the staff upload API and returns its ids. */
async function importRecord(page: Page, libraryId: string): Promise<{ recordId: string; workId: string }> {
  const upload = await page.request.post(
    `/api/v1/organizations/${libraryId}/catalog-imports?filename=journey.json&format=json`,
    {
      headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': await csrf(page) },
      data: Buffer.from(JSON.stringify([RECORD])),
    },
  );
  expect(upload.status()).toBe(202);
  const { id } = (await upload.json()) as { id: string };
  for (let i = 0; i < 240; i++) {
    const run = (await (await page.request.get(`/api/v1/organizations/${libraryId}/catalog-imports/${id}`)).json()) as {
      status: string;
      added: number;
    };
    if (run.status === 'done') break;
    if (run.status === 'failed') throw new Error('the import failed');
    await page.waitForTimeout(500);
  }
  const search = (await (await page.request.get(`/api/v1/catalog/search?q=${WORD}`)).json()) as {
    items: Array<{ id: string }>;
  };
  const workId = search.items[0]!.id;
  const work = (await (await page.request.get(`/api/v1/catalog/works/${workId}`)).json()) as {
    records: Array<{ id: string }>;
  };
  return { recordId: work.records[0]!.id, workId };
}

describe('cataloguing', () => {
  const browser = useBrowser();

  it('a librarian fixes an indicator error shown by validation, saves, adds an item and sees it on the public page', async () => {
    const { context, page } = await browser.newPage();
    // She works in Portuguese (her saved language).
    await signIn(page, LIBRARIAN, undefined, 'en', 'pt');
    const t = (key: string, values: Record<string, string | number> = {}) => text('pt', key, values);
    const library = await organizationId('SPBIB');
    const { recordId, workId } = await importRecord(page, library);

    // From the public work page: "Edit record" on her library's edition.
    await page.goto(`/works/${workId}`);
    await page
      .getByRole('link', { name: t('cataloguing:editLinkLabel', { title: `${WORD} and the shelves` }) })
      .click();
    await page.waitForURL(`**/cataloguing/records/${recordId}`);
    const heading = page.getByRole('heading', { level: 1 }).filter({ hasText: WORD });
    await heading.waitFor();
    // The editor waits for its record: its heading comes late and then takes focus from <main>.
    await expect.poll(() => heading.evaluate((el) => el === document.activeElement)).toBe(true);

    // The form shows the title from 245 $a.
    await expect
      .poll(() => page.getByRole('textbox', { name: t('cataloguing:form.title'), exact: true }).inputValue())
      .toBe(`${WORD} and the shelves`);

    // The record came with an error: it is listed as one the record already had, which does not stop saving.
    const inherited = page.locator('.inherited-problems');
    await inherited.waitFor();
    const problemText = (value: string) =>
      t('cataloguing:problems.INDICATOR_UNDEFINED', { indicator: 1, tag: '245', value, expected: '0, 1' });
    expect(await inherited.textContent()).toContain(problemText('7'));

    // She changes the indicator to another wrong value: that error is hers, and saving shows it; the
    // summary takes focus and names the problem.
    await page.getByRole('tab', { name: t('cataloguing:editor.tabMarc') }).click();
    await page.getByRole('textbox', { name: t('cataloguing:marc.ind1', { tag: '245' }) }).fill('9');
    await page.getByRole('tab', { name: t('cataloguing:editor.tabForm') }).click();
    await page.getByRole('button', { name: t('cataloguing:editor.save') }).click();
    const summary = page.locator('.problem-summary');
    await summary.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains('problem-summary')))
      .toBe(true);
    const message = problemText('9');
    expect(await summary.textContent()).toContain(message);

    // Following the link opens the MARC tab at the indicator, with the message beside the field.
    await summary.getByRole('link').first().click();
    const indicator = page.getByRole('textbox', { name: t('cataloguing:marc.ind1', { tag: '245' }) });
    await expect.poll(() => indicator.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await indicator.getAttribute('aria-invalid')).toBe('true');
    await page.locator('.marc-field-invalid').getByText(message).waitFor();
    await expectNoSeriousViolations(page, 'record editor, MARC tab with a problem');

    await indicator.fill('1');
    await expect.poll(() => page.locator('.marc-field-invalid').count()).toBe(0);
    // Saved from the keyboard, focus stays on the button (a disabled button would drop it to the page).
    const save = page.getByRole('button', { name: t('cataloguing:editor.save') });
    await save.focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: t('cataloguing:editor.saved') })
      .waitFor();
    await expect.poll(() => save.evaluate((el) => el === document.activeElement)).toBe(true);
    const saved = (await (await page.request.get(`/api/v1/catalog/records/${recordId}/cataloguing`)).json()) as {
      marc: { fields: Array<{ tag: string; ind1?: string }> };
    };
    expect(saved.marc.fields.find((f) => f.tag === '245')?.ind1).toBe('1');

    // An item, added in the dialog.
    await page.getByRole('button', { name: t('cataloguing:items.add') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: t('cataloguing:items.barcode') }).fill(`E2E-${WORD}-1`);
    const callNumber = dialog.getByRole('textbox', { name: t('cataloguing:items.callNumber') });
    await callNumber.fill('025.3 SOU');
    // Escape with a changed form asks first; keeping on editing goes back to the field last used.
    await page.keyboard.press('Escape');
    const question = page.getByRole('alertdialog', { name: t('common:unsaved.title') });
    await question.getByRole('button', { name: t('common:unsaved.keep') }).click();
    await expect.poll(() => callNumber.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await callNumber.inputValue()).toBe('025.3 SOU');
    await dialog.getByRole('button', { name: t('cataloguing:items.save') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: t('cataloguing:items.added', { barcode: `E2E-${WORD}-1` }) })
      .waitFor();
    await page.getByRole('rowheader', { name: `E2E-${WORD}-1` }).waitFor();
    await expectNoSeriousViolations(page, 'record editor with an item');

    // A new item typed and then discarded: asked first, nothing added, focus back on "Add item".
    const addItem = page.getByRole('button', { name: t('cataloguing:items.add') });
    await addItem.click();
    await dialog.getByRole('textbox', { name: t('cataloguing:items.barcode') }).fill(`E2E-${WORD}-2`);
    await page.keyboard.press('Escape');
    await expectNoSeriousViolations(page, 'item form asking before discarding');
    await question.getByRole('button', { name: t('cataloguing:items.discardConfirm') }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => addItem.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByRole('rowheader', { name: `E2E-${WORD}-2` }).count()).toBe(0);

    // A colleague completes the author's name meanwhile (the surname stays, so the record stays in
    // its work) and adds a statement of responsibility; her own save is refused. Merging keeps what
    // she typed (the subtitle) and takes the colleague's author; the title field both changed keeps
    // hers, and the colleague's version of it is listed (focused, read out) for her to decide.
    const colleague = await apiAs(LIBRARIAN);
    type Field = { tag: string; ind1?: string; ind2?: string; subfields?: Array<{ code: string; value: string }> };
    const current = await colleague.call<{ version: string; marc: { fields: Field[] } }>(
      'GET',
      `/catalog/records/${recordId}/cataloguing`,
    );
    const corrected = current.marc.fields.map((f) =>
      f.tag === '100'
        ? { ...f, subfields: [{ code: 'a', value: `Souza, Mariana ${WORD}.` }] }
        : f.tag === '245'
          ? { ...f, subfields: [...f.subfields!, { code: 'c', value: 'Mariana Souza.' }] }
          : f,
    );
    await colleague.call('PUT', `/catalog/records/${recordId}`, {
      expectedVersion: current.version,
      marc: { ...current.marc, fields: corrected },
    });
    await page.getByRole('tab', { name: t('cataloguing:editor.tabForm') }).click();
    const authors = page.getByRole('textbox', { name: t('cataloguing:form.authors') });
    const subtitle = page.getByRole('textbox', { name: t('cataloguing:form.subtitle'), exact: true });
    expect(await authors.inputValue()).not.toContain(`Mariana ${WORD}`);
    await subtitle.fill('a second look');
    await page.getByRole('button', { name: t('cataloguing:editor.save') }).click();
    const conflict = page.getByRole('alertdialog', { name: t('cataloguing:editor.conflictTitle') });
    await conflict.getByRole('button', { name: t('cataloguing:editor.reload') }).waitFor();
    await expectNoSeriousViolations(page, 'record editor, conflict dialog');
    await conflict.getByRole('button', { name: t('cataloguing:editor.merge') }).click();
    await expect.poll(() => authors.inputValue()).toContain(`Souza, Mariana ${WORD}.`);
    expect(await subtitle.inputValue()).toBe('a second look');
    const report = page.locator('.merge-report');
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('merge-report'))).toBe(true);
    expect(await report.textContent()).toContain(t('cataloguing:editor.mergedClashes_one', { count: 1 }));
    const clash = report.getByRole('listitem');
    expect(await clash.count()).toBe(1);
    expect(await clash.textContent()).toContain(`$c Mariana Souza.`);
    await page.getByText(t('cataloguing:editor.unsaved')).waitFor();
    await expectNoSeriousViolations(page, 'record editor after a merge with a clash');
    // Her version of the title goes through now (the editor edits the colleague's version).
    await page.getByRole('button', { name: t('cataloguing:editor.save') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: t('cataloguing:editor.saved') })
      .waitFor();
    expect(await report.count()).toBe(0);
    const merged = await colleague.call<{ marc: { fields: Field[] } }>(
      'GET',
      `/catalog/records/${recordId}/cataloguing`,
    );
    const subfields = (tag: string) => merged.marc.fields.find((f) => f.tag === tag)?.subfields;
    expect(subfields('100')).toEqual([{ code: 'a', value: `Souza, Mariana ${WORD}.` }]);
    expect(subfields('245')?.find((s) => s.code === 'b')?.value).toContain('a second look');
    expect(subfields('245')?.some((s) => s.code === 'c')).toBe(false);

    // Another colleague's save meanwhile, discarded: "load theirs" shows their version.
    const again = await colleague.call<{ version: string; marc: { fields: Field[] } }>(
      'GET',
      `/catalog/records/${recordId}/cataloguing`,
    );
    await colleague.call('PUT', `/catalog/records/${recordId}`, {
      expectedVersion: again.version,
      marc: {
        ...again.marc,
        fields: again.marc.fields.map((f) =>
          f.tag === '100' ? { ...f, subfields: [{ code: 'a', value: `Souza, Mariana ${WORD}, 1970-` }] } : f,
        ),
      },
    });
    await subtitle.fill('a third look');
    await page.getByRole('button', { name: t('cataloguing:editor.save') }).click();
    await conflict.getByRole('button', { name: t('cataloguing:editor.reload') }).click();
    await expect.poll(() => authors.inputValue()).toContain(`Souza, Mariana ${WORD}, 1970-`);
    expect(await subtitle.inputValue()).toBe('a second look');

    // The public work page shows the copy.
    await page.goto(`/works/${workId}`);
    await page.getByRole('cell', { name: '025.3 SOU' }).first().waitFor();

    // A new record from the form: without a title it is refused at once; with one it is created.
    await page.goto(`/cataloguing/new?library=${library}`);
    await page.getByRole('button', { name: t('cataloguing:editor.create') }).click();
    await page
      .locator('.problem-summary')
      .getByText(t('cataloguing:problems.SUBFIELD_EMPTY', { subfieldCode: '$a', tag: '245' }))
      .waitFor();
    await page.getByRole('textbox', { name: t('cataloguing:form.title'), exact: true }).fill(`${WORD} second`);
    await page.getByRole('textbox', { name: t('cataloguing:form.authors') }).fill('Souza, Mariana.\nLima, Ana.');
    await page.getByRole('button', { name: t('cataloguing:editor.create') }).click();
    await page.waitForURL(/\/cataloguing\/records\/[0-9a-f-]{36}/);
    await page.getByRole('tab', { name: t('cataloguing:editor.tabMarc') }).click();
    await expect
      .poll(() =>
        page.getByRole('textbox', { name: t('cataloguing:marc.subValue', { code: '$a', tag: '700' }) }).inputValue(),
      )
      .toBe('Lima, Ana.');
    await context.close();
  });

  it('the editor turns right-to-left in Arabic, with MARC kept left-to-right', async () => {
    const { context, page } = await browser.newPage();
    await signIn(page, LIBRARIAN, undefined, 'en', 'pt');
    const work = (await (await page.request.get(`/api/v1/catalog/search?q=${WORD}`)).json()) as {
      items: Array<{ id: string }>;
    };
    const view = (await (await page.request.get(`/api/v1/catalog/works/${work.items[0]!.id}`)).json()) as {
      records: Array<{ id: string }>;
    };
    await page.goto(`/cataloguing/records/${view.records[0]!.id}`);
    await page.getByRole('tab', { name: text('pt', 'cataloguing:editor.tabMarc') }).waitFor();
    await selectButton(page, text('pt', 'common:language.label')).click();
    await page.getByRole('option', { name: 'العربية' }).click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.getByRole('tab', { name: text('ar', 'cataloguing:editor.tabMarc') }).click();
    await page.getByRole('textbox', { name: text('ar', 'cataloguing:marc.ind1', { tag: '245' }) }).waitFor();
    expect(await page.locator('.marc-field-main').first().getAttribute('dir')).toBe('ltr');

    // Fields move and are added from the keyboard; focus stays with the field.
    const tags = () =>
      page.locator('.marc-tag').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(await tags()).toEqual(['001', '008', '100', '245']);
    await page.getByRole('textbox', { name: text('ar', 'cataloguing:marc.tag', { n: 3 }) }).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(tags).toEqual(['001', '008', '245', '100']);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('100');
    // Moves and removals are said in the editor's live region, numbers as Arabic writes them.
    const arabic = (n: number) => page.evaluate((n) => new Intl.NumberFormat('ar').format(n), n);
    const said = (key: string, values: Record<string, string>) =>
      page
        .locator('.marc-editor [role="status"]')
        .getByText(text('ar', key, values), { exact: true })
        .waitFor();
    await said('cataloguing:marc.announce.fieldMoved', { tag: '100', n: await arabic(4), total: await arabic(4) });
    await page.keyboard.press('Alt+Shift+Enter');
    await expect.poll(tags).toEqual(['001', '008', '245', '100', '']);
    await page.keyboard.type('500');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('A note');
    await page.keyboard.press('Alt+Enter');
    await expect.poll(() => page.locator('.marc-field').last().locator('.marc-subfield').count()).toBe(2);
    // Removing the new subfield says so and leaves focus on the one before it.
    await page
      .getByRole('button', {
        name: text('ar', 'cataloguing:marc.removeSubfield', { code: '$', tag: '500' }),
        exact: true,
      })
      .click();
    await said('cataloguing:marc.announce.subfieldRemoved', { code: '$', tag: '500', total: await arabic(1) });
    await expect.poll(() => page.locator('.marc-field').last().locator('.marc-subfield').count()).toBe(1);
    const focusedCode = () =>
      page.evaluate(() => {
        const active = document.activeElement as HTMLInputElement | null;
        return active?.classList.contains('marc-code') ? active.value : null;
      });
    await expect.poll(focusedCode).toBe('a');
    await page.getByText(text('ar', 'cataloguing:editor.unsaved')).waitFor();
    await page.screenshot({ path: '/tmp/athenaeum-cataloguing-ar.png', fullPage: true });
    await expectNoSeriousViolations(page, 'record editor in Arabic');

    // Leaving with the changes unsaved asks in the page's own dialog: "Keep editing" stays on the
    // page with them (focus back on the link followed), "Discard and leave" goes.
    const newRecord = page
      .locator('.cataloguing-meta')
      .getByRole('link', { name: text('ar', 'cataloguing:newRecord'), exact: true });
    await newRecord.click();
    const leave = page.getByRole('alertdialog', { name: text('ar', 'common:unsaved.title') });
    await leave.getByText(text('ar', 'cataloguing:editor.leaveQuestion')).waitFor();
    await leave.getByRole('button', { name: text('ar', 'common:unsaved.keep'), exact: true }).click();
    await leave.waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe(`/cataloguing/records/${view.records[0]!.id}`);
    await expect.poll(() => newRecord.evaluate((link) => link === document.activeElement)).toBe(true);
    await page.getByText(text('ar', 'cataloguing:editor.unsaved')).waitFor();
    expect(await tags()).toEqual(['001', '008', '245', '100', '500']);
    await newRecord.click();
    await leave.getByRole('button', { name: text('ar', 'common:unsaved.leave'), exact: true }).click();
    await page.waitForURL(/\/cataloguing\/new\?library=/);
    await page.getByRole('heading', { level: 1, name: text('ar', 'cataloguing:editor.titleNew') }).waitFor();

    // The switch was saved to her profile; other journeys sign her in expecting Portuguese.
    await selectButton(page, text('ar', 'common:language.label')).click();
    await page.getByRole('option', { name: 'Português' }).click();
    await page.waitForFunction(() => document.documentElement.lang.startsWith('pt'));
    const savedLocale = async () =>
      ((await (await page.request.get('/api/v1/sessions/current')).json()) as { person?: { locale?: string } }).person
        ?.locale;
    await expect.poll(savedLocale).toBe('pt');
    await context.close();
  });
});
