/** Numbers written the way each language writes them; one place for the separators of every message. */
import { LOCALE_STYLES, type Language } from './languages.js';

/**
 * A whole or decimal number (a number or a decimal string) with the language's separators.
 *
 * @example formatNumber('1234567.5', 'id') // '1.234.567,5'
 * @example formatNumber(1500, 'fil')       // '1,500'
 */
export function formatNumber(value: string | number, language: Language): string {
  const style = LOCALE_STYLES[language];
  const text = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const negative = text.startsWith('-');
  const [whole = '0', fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, style.thousands);
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `${style.decimal}${fraction}`}`;
}

/**
 * Items joined as a sentence lists them: `a, b and c` / `a, b dan c` / `a, b at c`.
 *
 * @example joinWords(['x', 'y', 'z'], 'dan') // 'x, y dan z'
 */
export function joinWords(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1] ?? ''}`;
}
