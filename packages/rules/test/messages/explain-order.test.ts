/**
 * explainOrder in the library (what the CLI prints and a browser can show): o-1001 of the toko-basic scenario in the
 * three languages. By hand: base 12 000 000 / 10 000 = 1200 on the laptop + 25 on the mouse = 1225; big-basket +200;
 * Bronze x1: 1425 points, usable 14 days later, for 12 months.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { compileProgram, parseProgram, quoteOrder } from '../../src/index.js';
import { explainOrder, explanationText } from '../../src/messages/explain-order.js';
import { scenarioOrder } from '../support/example-program.js';

const program = parseProgram(readFileSync(new URL('../../../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8'));
const order = scenarioOrder('o-1001');

describe('messages: explainOrder', () => {
  const quote = quoteOrder(compileProgram(program), { order, history: { orders: [], usage: {} } }, { at: order.placedAt, trace: true });

  it('explains in English, Indonesian and Filipino from the same trace', () => {
    const en = explanationText(explainOrder(program, quote, 'o-1001', 'en'));
    const id = explanationText(explainOrder(program, quote, 'o-1001', 'id'));
    const fil = explanationText(explainOrder(program, quote, 'o-1001', 'fil'));
    expect(en).to.include('Order o-1001 placed on 1 February 2026, 10:00 (Asia/Jakarta) earns 1,425 points.');
    expect(id).to.include('Pesanan o-1001 pada 1 Februari 2026, 10:00 (Asia/Jakarta) mendapat 1.425 poin.');
    expect(fil).to.include('Ang order o-1001 na ginawa noong 1 Pebrero 2026, 10:00 (Asia/Jakarta) ay may 1,425 points.');
    expect(fil).to.include('(tv-double): hindi pa epektibo: magsisimula ito sa 1 Disyembre 2026.');
    expect(fil).to.include('Ni-round pababa nang isang beses para sa buong order: 1,425 points.');
    expect(fil).to.include('Walang points ang SHIP (hindi kasama ayon sa mga patakaran).');
  });

  it('says the same number of sentences in every language', () => {
    const shape = (lang: 'en' | 'id' | 'fil') => explainOrder(program, quote, 'o-1001', lang).paragraphs.map((p) => p.length);
    expect(shape('id')).to.deep.equal(shape('en'));
    expect(shape('fil')).to.deep.equal(shape('en'));
  });
});
