import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MatchReason } from './WorkClustering';

describe("a record's match reason", () => {
  it('is marked as English and kept left to right in a right-to-left page', () => {
    expect(renderToStaticMarkup(<MatchReason reason="title and author match, dates differ by 3" />)).toBe(
      '<bdi lang="en" dir="ltr">title and author match, dates differ by 3</bdi>',
    );
  });
});
