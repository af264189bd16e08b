// What tests expect of a reader's items, checked rather than cast: an item that should be a
// record and is a damaged record's report fails the test with the reader's reason.
import { isRecordFailure, type ReadItem, type ReadPosition, type RecordRead } from '../read-result.js';

/** The item as a record read; throws with the reason when it is a failure (or missing). */
export function recordRead<P extends ReadPosition>(item: ReadItem<P> | undefined): RecordRead<P> {
  if (item === undefined) throw new Error('expected a record, got no item');
  if (isRecordFailure(item)) throw new Error(`expected a record, got a failure: ${item.error.reason}`);
  return item;
}

/** Every item as a record read (recordRead on each). */
export const recordsRead = <P extends ReadPosition>(items: ReadonlyArray<ReadItem<P>>): Array<RecordRead<P>> =>
  items.map((item) => recordRead(item));
