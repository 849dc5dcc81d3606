// Issue 17 item 5: the outreach form does not pre-select the patient's answer.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { OfferAnswer } from '../../../src/features/outreach/OutreachForm';

const checkedOf = (html: string) => [...html.matchAll(/<input[^>]*>/g)].map((m) => m[0]).filter((i) => / checked=""/.test(i)).map((i) => /value="(\w+)"/.exec(i)?.[1]);

describe('OfferAnswer', () => {
  test('nothing is checked before the nurse chooses', () => {
    const html = renderToStaticMarkup(<OfferAnswer name="a" accepted={undefined} onChange={() => {}} />);
    expect(html).toContain('Takket ja');
    expect(html).toContain('Takket nei');
    expect(checkedOf(html)).toEqual([]);
  });
  test('the chosen answer is checked', () => {
    expect(checkedOf(renderToStaticMarkup(<OfferAnswer name="a" accepted={false} onChange={() => {}} />))).toEqual(['no']);
    expect(checkedOf(renderToStaticMarkup(<OfferAnswer name="a" accepted={true} onChange={() => {}} />))).toEqual(['yes']);
  });
});
