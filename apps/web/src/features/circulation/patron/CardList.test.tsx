import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CardList } from './CardList';

describe('the patron pages’ list of cards', () => {
  it('is one list item a card, named by a heading only when asked', () => {
    const items = [{ id: 'a' }, { id: 'b' }];
    expect(renderToStaticMarkup(<CardList items={items}>{(item) => <article>{item.id}</article>}</CardList>)).toBe(
      '<ul class="hold-list"><li><article>a</article></li><li><article>b</article></li></ul>',
    );
    expect(
      renderToStaticMarkup(
        <CardList items={items.slice(0, 1)} labelledBy="loans">
          {() => 'x'}
        </CardList>,
      ),
    ).toBe('<ul class="hold-list" aria-labelledby="loans"><li>x</li></ul>');
  });
});
