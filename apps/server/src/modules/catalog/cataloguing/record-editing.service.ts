import {
  MATCH_REASONS,
  validateMarc,
  validateMarcEdit,
  type CataloguingItem,
  type CataloguingRecord,
  type MarcFlavourInput,
  type MarcRecordInput,
  type NormalizedRecord,
  type RecordCreate,
  type RecordSave,
} from '@athenaeum/contracts';
import type { MarcRecord } from '@athenaeum/marc';
import type { Principal } from '../../../platform/auth/principal.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { getOrganization } from '../../accounts/index.js';
import { CatalogErrors } from '../catalog.errors.js';
import * as catalogRepo from '../catalog.repository.js';
import { scoreMatch } from '../clustering/keys.js';
import { prepareRecord, recordValues } from '../import/prepare-record.js';
import { uuidV7 } from '../import/uuid-v7.js';
import * as itemsRepo from '../items/items.repository.js';
import * as repo from './cataloguing.repository.js';
import { requireCatalogueStaff } from './staff.js';

/** An item as the cataloguing screens show it. */
export function presentItem(i: itemsRepo.ItemRow): CataloguingItem {
  return {
    itemId: i.id,
    libraryId: i.organization_id,
    branchId: i.branch_id,
    barcode: i.barcode,
    callNumber: i.call_number,
    location: i.location,
    itemType: i.item_type,
    status: i.status,
    notes: i.notes,
    updatedAt: new Date(i.updated_at).toISOString(),
  };
}

/**
 * The record in the shape the parsers give (tag/value, tag/ind1/ind2/subfields, code/value, NFC
 * text), so an unchanged record saved from the editor has the content hash it was read with.
 */
function asMarc(input: MarcRecordInput): MarcRecord {
  return {
    leader: input.leader,
    fields: input.fields.map((f) =>
      'value' in f
        ? { tag: f.tag, value: f.value.normalize('NFC') }
        : {
            tag: f.tag,
            ind1: f.ind1,
            ind2: f.ind2,
            subfields: f.subfields.map((s) => ({ code: s.code, value: s.value.normalize('NFC') })),
          },
    ),
  };
}

/**
 * Refuses (422, `problems`) a record with problems that block saving: every problem of a new
 * record; for an edited one, only those the edit made, not those its stored version already had
 * (a librarian adding a subject need not first repair an imported record's old faults), which are
 * sent alongside as `warnings`.
 */
function refuseInvalid(marc: MarcRecordInput, flavour: MarcFlavourInput, stored?: MarcRecordInput): void {
  const { problems, warnings } = stored
    ? validateMarcEdit(marc, stored, flavour)
    : { problems: validateMarc(marc, flavour), warnings: [] };
  if (problems.length) {
    throw new AppError(
      CatalogErrors.CATALOG_RECORD_INVALID,
      `The record has ${problems.length} problem${problems.length === 1 ? '' : 's'} to correct; nothing was saved.`,
      { problems, warnings },
    );
  }
}

async function loadLive(db: catalogRepo.CatalogDb, id: string) {
  const row = await repo.findRecord(db, id);
  if (!row) throw new AppError(CatalogErrors.CATALOG_RECORD_NOT_FOUND, `There is no record with id ${id}.`);
  if (row.deleted_at) throw new AppError(CatalogErrors.CATALOG_RECORD_DELETED, `The record ${id} was deleted.`);
  return row;
}

/** A record as staff edit it: its MARC, version, normalized fields and items. Staff of its library only. */
export async function getRecordForEditing(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<CataloguingRecord> {
  const db = catalogRepo.catalogDb(ctx.db);
  const row = await loadLive(db, id);
  await requireCatalogueStaff(ctx, principal, row.organization_id, 'edit this record');
  const items = await itemsRepo.listItems(db, id);
  return {
    id: row.id,
    libraryId: row.organization_id,
    workId: row.work_id,
    flavour: row.flavour,
    version: row.content_hash,
    marc: row.marc as MarcRecordInput,
    fields: row.fields as NormalizedRecord,
    workPinned: row.work_pinned,
    items: items.map(presentItem),
    updatedAt: new Date(row.updated_at).toISOString(),
    // What it has, it had before its last edit (or came with from its import): told, not blocking.
    warnings: validateMarc(row.marc as MarcRecordInput, row.flavour),
  };
}

/**
 * Stores a record written in the editor, as an import stores one (prepareRecord: normalized
 * fields, clustering keys, search text), clustered into the best-matching work unless a staff
 * decision pinned it to its work; the works it left and joined are refreshed. Runs inside the
 * caller's transaction, which holds the clustering lock. Returns the record's work.
 */
async function storeEdited(
  trx: catalogRepo.CatalogDb,
  target: { id: string; libraryId: string; flavour: MarcFlavourInput; actorId: string },
  marc: MarcRecord,
  old: repo.EditableRecordRow | null,
): Promise<{ workId: string; version: string; changed: boolean }> {
  const marcJson = JSON.stringify(marc);
  const p = prepareRecord(marc, marcJson, target.flavour, 'editor', {
    flavour: target.flavour,
    provenance: { ...old?.provenance, editedBy: target.actorId },
  });
  if (old && old.content_hash === p.hash) return { workId: old.work_id, version: p.hash, changed: false };

  // A record identified by its content alone keeps the key it has (a hash would change with every edit).
  const key = p.key.startsWith('hash:') ? (old?.record_key ?? `editor:${target.id}`) : p.key;
  if (key !== old?.record_key && (await repo.recordKeyTaken(trx, target.libraryId, key, target.id))) {
    throw new AppError(
      CatalogErrors.CATALOG_RECORD_KEY_TAKEN,
      `Another record of this library already has the control number ${key.replace(/^-\//, '')} (001/003).`,
      { recordKey: key },
    );
  }

  let workId: string;
  let matchScore: number | null = null;
  let matchReason: string | null = null;
  if (old?.work_pinned) {
    workId = old.work_id;
    matchReason = MATCH_REASONS.staffKept;
  } else {
    const candidates = await catalogRepo.findCandidateWorks(
      trx,
      p.keys.identifiers,
      p.keys.titleAuthor ? [p.keys.titleAuthor] : [],
    );
    // On a tie the record stays in the work it is in.
    candidates.sort((a, b) => Number(b.id === old?.work_id) - Number(a.id === old?.work_id));
    let best: { id: string; score: number; reason: string } | null = null;
    for (const work of candidates) {
      const match = scoreMatch(p.keys, {
        identifiers: work.identifiers,
        titleAuthor: work.title_author_key,
        years: work.years,
      });
      if (match && (!best || match.score > best.score)) best = { id: work.id, ...match };
    }
    if (best) {
      workId = best.id;
      matchScore = best.score;
      matchReason = best.reason;
    } else {
      workId = uuidV7();
      await catalogRepo.insertWorks(trx, [
        {
          id: workId,
          title: p.title,
          sortTitle: p.sortTitle,
          author: p.author,
          identifiers: p.keys.identifiers,
          titleAuthorKey: p.keys.titleAuthor,
          years: p.keys.year === null ? [] : [p.keys.year],
        },
      ]);
    }
  }
  const values = recordValues(
    p,
    { id: target.id, organizationId: target.libraryId, recordKey: key, workId, matchScore, matchReason },
    { format: 'editor', encoding: null, bytes: Buffer.from(marcJson), marcJson, warnings: [] },
  );
  if (old) await repo.updateRecordById(trx, values);
  else await catalogRepo.insertRecords(trx, [values]);
  // Display fields, facets, search vectors and matching keys of both works, from their records now.
  await catalogRepo.refreshWorks(trx, old ? [old.work_id, workId] : [workId]);
  return { workId, version: p.hash, changed: true };
}

/**
 * Saves a record edited by staff of its library: refused with the validation problems the edit
 * made (422, nothing changed; those the stored version had too come as `warnings`), or with 409 when the record is no longer at `expectedVersion` (someone saved
 * it meanwhile; concurrent saves queue on the record's row lock, so only one of them wins).
 */
export async function saveRecord(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: RecordSave,
): Promise<CataloguingRecord> {
  const db = catalogRepo.catalogDb(ctx.db);
  const found = await loadLive(db, id);
  await requireCatalogueStaff(ctx, principal, found.organization_id, 'edit this record');
  const marc = asMarc(body.marc);
  await db.transaction().execute(async (trx) => {
    // The clustering lock first, as imports take it, then the record.
    await catalogRepo.lockClustering(trx);
    const row = await repo.lockRecord(trx, id);
    if (!row || row.deleted_at)
      throw new AppError(CatalogErrors.CATALOG_RECORD_DELETED, `The record ${id} was deleted.`);
    if (row.content_hash !== body.expectedVersion) {
      throw new AppError(
        CatalogErrors.CATALOG_RECORD_CHANGED,
        'Someone else saved this record after you opened it; reload it to see their changes, then make yours again.',
        { currentVersion: row.content_hash },
      );
    }
    // Against the version the editor started from (the one locked here): its old problems do not block.
    refuseInvalid(marc, row.flavour, row.marc as MarcRecordInput);
    const stored = await storeEdited(
      trx,
      { id, libraryId: row.organization_id, flavour: row.flavour, actorId: principal.personId },
      marc,
      row,
    );
    if (stored.changed) {
      await recordAudit(trx, {
        organizationId: row.organization_id,
        actorId: principal.personId,
        action: 'catalog.record.updated',
        subject: {
          recordId: id,
          previousVersion: row.content_hash,
          version: stored.version,
          previousWorkId: row.work_id,
          workId: stored.workId,
        },
      });
    }
  });
  return getRecordForEditing(ctx, principal, id);
}

/** Adds a record written in the editor to a library's catalogue (staff of the library, checked by the route). */
export async function createRecord(
  ctx: AppContext,
  principal: Principal,
  libraryId: string,
  body: RecordCreate,
): Promise<CataloguingRecord> {
  const org = await getOrganization(ctx, libraryId);
  if (org.kind !== 'library') {
    throw new AppError(
      CatalogErrors.CATALOG_NOT_A_LIBRARY,
      `${org.code} is a ${org.kind}; records belong to a library${org.kind === 'branch' && org.parent ? ` (${org.parent.code})` : ''}.`,
    );
  }
  const flavour = body.flavour ?? 'marc21';
  const marc = asMarc(body.marc);
  refuseInvalid(marc, flavour);
  const id = uuidV7();
  await catalogRepo
    .catalogDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      await catalogRepo.lockClustering(trx);
      const stored = await storeEdited(trx, { id, libraryId, flavour, actorId: principal.personId }, marc, null);
      await recordAudit(trx, {
        organizationId: libraryId,
        actorId: principal.personId,
        action: 'catalog.record.created',
        subject: { recordId: id, version: stored.version, workId: stored.workId },
      });
    });
  return getRecordForEditing(ctx, principal, id);
}
