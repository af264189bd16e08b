import type { ReactElement, RefObject } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { inputIds } from './MarcEditor';
import { fieldText, type MergeClash } from './merge-edit';

/** A clash as the report lists it: with the editor row of my version (null when I removed it, and for the leader). */
export interface ReportedClash extends MergeClash {
  fieldKey: string | null;
}

/** What merging an edit with the version saved meanwhile came to. */
export interface MergeOutcome {
  clashes: ReportedClash[];
  /** Whether the merged record differs from theirs (there is something left to save). */
  changed: boolean;
  /** Tags that more than one field has (in the merge or in theirs): their clashes are named with a number. */
  repeated: string[];
}

/**
 * Tells what a merge with the version someone else saved came to, and lists each field both
 * changed differently with their version, a link going to mine in the MARC tab. It takes focus
 * (and is read out) when the merge is done.
 */
export function MergeReport({
  outcome,
  reportRef,
  onGo,
}: {
  outcome: MergeOutcome;
  reportRef?: RefObject<HTMLDivElement | null>;
  onGo: (clash: ReportedClash) => void;
}) {
  const { t } = useTranslation('cataloguing');
  const { clashes } = outcome;
  const name = (clash: MergeClash) =>
    clash.tag === null
      ? t('editor.clashLeader')
      : clash.occurrence > 1 || outcome.repeated.includes(clash.tag)
        ? t('editor.clashFieldNth', { tag: clash.tag, n: clash.occurrence })
        : t('editor.clashField', { tag: clash.tag });
  const line = (clash: ReportedClash) => {
    const goes = clash.tag === null || clash.fieldKey !== null;
    const place: ReactElement = goes ? (
      <a
        href={`#${clash.fieldKey === null ? inputIds.leader : inputIds.tag(clash.fieldKey)}`}
        onClick={(event) => {
          event.preventDefault();
          onGo(clash);
        }}
      />
    ) : (
      <span />
    );
    const theirs = clash.theirs;
    const marc = (
      <code dir="ltr" className="merge-theirs">
        {theirs === null ? '' : typeof theirs === 'string' ? theirs : `${theirs.tag} ${fieldText(theirs)}`}
      </code>
    );
    const key = theirs === null ? 'editor.clashTheyRemoved' : goes ? 'editor.clashTheirs' : 'editor.clashYouRemoved';
    return <Trans t={t} i18nKey={key} values={{ place: name(clash) }} components={{ place, marc }} />;
  };
  return (
    <div
      ref={reportRef}
      tabIndex={-1}
      role="alert"
      aria-labelledby="merge-title"
      className="alert alert-info problem-summary merge-report"
    >
      <h2 id="merge-title">{t('editor.mergedTitle')}</h2>
      <p>
        {clashes.length
          ? t('editor.mergedClashes', { count: clashes.length })
          : outcome.changed
            ? t('editor.mergedClean')
            : t('editor.mergedSame')}
      </p>
      {clashes.length ? (
        <ul>
          {clashes.map((clash) => (
            <li key={`${clash.tag ?? ''}-${clash.occurrence}`}>{line(clash)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
