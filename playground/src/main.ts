/**
 * The playground page: wires the editor, the order quote and its explanation, the backtest worker and publishing.
 * Runs @purna/rules in the page under `script-src 'self'` (docs/playground.md).
 */
import { compileProgram, InputError, quoteOrder, type CompiledProgram, type Program, type QuoteOrderInput, type SimulationReport } from '@purna/rules';
import type { BacktestMessage, BacktestRequest } from './backtest-protocol.js';
import { createProgramEditor } from './editor.js';
import { explainOrder, LANGUAGE_NAMES, LANGUAGES, type Language } from './explanation.js';
import type { ProgramCheck } from './program-check.js';
import { publishProgram, readPublishedProgram, storedKey, storeKey } from './publish.js';
import { SAMPLE_ORDERS, SAMPLE_PROGRAMS } from './samples.js';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

/** Replaces an element's content with text lines, each its own paragraph (or list item). */
function showLines(target: HTMLElement, lines: readonly string[], className?: string): void {
  target.replaceChildren(
    ...lines.map((line) => {
      const p = document.createElement('p');
      p.textContent = line;
      if (className) p.className = className;
      return p;
    }),
  );
}

function definitionList(rows: ReadonlyArray<readonly [string, string]>): HTMLDListElement {
  const list = document.createElement('dl');
  for (const [term, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }
  return list;
}

function option(value: string, label: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  return o;
}

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

// ---- language -------------------------------------------------------------------------------------------------
const languageSelect = element<HTMLSelectElement>('language');
languageSelect.append(...LANGUAGES.map((code) => option(code, LANGUAGE_NAMES[code] ?? code)));
const language = (): Language => languageSelect.value as Language;

// ---- program --------------------------------------------------------------------------------------------------
const programStatus = element('program-status');
const problemList = element<HTMLOListElement>('problems');
let current: { program: Program; compiled: CompiledProgram } | undefined;

function renderCheck(check: ProgramCheck): void {
  current = check.program ? { program: check.program, compiled: compileProgram(check.program) } : undefined;
  if (check.program) {
    programStatus.className = 'status ok';
    programStatus.textContent = `Valid: “${check.program.name}” in ${check.program.currency}, ${check.program.timezone}.`;
  } else {
    programStatus.className = 'status bad';
    programStatus.textContent = `${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}:`;
  }
  problemList.replaceChildren(
    ...check.problems.map((p) => {
      const item = document.createElement('li');
      const go = document.createElement('button');
      go.type = 'button';
      go.textContent = `Line ${p.line}, column ${p.column}`;
      go.addEventListener('click', () => editor.reveal(p.from));
      item.dataset.line = String(p.line);
      item.dataset.column = String(p.column);
      item.append(go, `: ${p.message}`);
      return item;
    }),
  );
}

const sampleProgram = element<HTMLSelectElement>('sample-program');
sampleProgram.append(...SAMPLE_PROGRAMS.map((s) => option(s.id, s.label)));
const firstProgram = SAMPLE_PROGRAMS[0]!;
const editor = createProgramEditor(element('editor'), pretty(firstProgram.program), 'Program (JSON)', renderCheck);
element('load-sample-program').addEventListener('click', () => {
  const chosen = SAMPLE_PROGRAMS.find((s) => s.id === sampleProgram.value);
  if (chosen) editor.setText(pretty(chosen.program));
});

// ---- order ----------------------------------------------------------------------------------------------------
const sampleOrder = element<HTMLSelectElement>('sample-order');
const orderInput = element<HTMLTextAreaElement>('order-input');
const quoteResult = element('quote-result');
const explanationBox = element('explanation');
sampleOrder.append(option('', 'Paste your own…'), ...SAMPLE_ORDERS.map((s) => option(s.id, s.label)));
sampleOrder.addEventListener('change', () => {
  const chosen = SAMPLE_ORDERS.find((s) => s.id === sampleOrder.value);
  if (!chosen) return;
  orderInput.value = pretty(chosen.input);
  const program = SAMPLE_PROGRAMS.find((s) => s.id === chosen.programId);
  // The sample was worked on its program: offer to load it when another one is in the editor.
  if (program && current?.program.id !== (program.program as { id?: string }).id) {
    sampleProgram.value = program.id;
    editor.setText(pretty(program.program));
  }
});

/** The textarea's order as a quote input: a bare order, or `{ order, customer?, history? }`. */
function orderFromInput(): QuoteOrderInput {
  let value: unknown;
  try {
    value = JSON.parse(orderInput.value);
  } catch (error) {
    throw new Error(`The order is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('The order must be a JSON object.');
  const wrapped = 'order' in value ? (value as { order: unknown; customer?: unknown; history?: unknown }) : { order: value };
  return {
    order: wrapped.order,
    ...(wrapped.customer === undefined ? {} : { customer: wrapped.customer }),
    history: wrapped.history ?? { orders: [], usage: {} },
  } as QuoteOrderInput;
}

let lastQuote: { program: Program; quote: ReturnType<typeof quoteOrder>; orderId: string } | undefined;

function renderExplanation(): void {
  if (!lastQuote) return;
  const explanation = explainOrder(lastQuote.program, lastQuote.quote, lastQuote.orderId, language());
  explanationBox.lang = explanation.language;
  showLines(explanationBox, explanation.paragraphs.map((p) => p.join('\n')));
}

element('quote').addEventListener('click', () => {
  lastQuote = undefined;
  explanationBox.replaceChildren();
  if (!current) {
    showLines(quoteResult, ['Fix the program first: it has problems (see the list under the editor).'], 'bad');
    return;
  }
  try {
    const input = orderFromInput();
    const at = input.order.placedAt ?? new Date().toISOString();
    const quote = quoteOrder(current.compiled, input, { at, trace: true });
    const tierName = (id: string | null) => current?.program.tiers?.levels.find((l) => l.id === id)?.name ?? id ?? 'none';
    quoteResult.replaceChildren(
      definitionList([
        ['Points', String(quote.points)],
        ['Tier before', tierName(quote.tierBefore)],
        ['Tier after', tierName(quote.tierAfter)],
      ]),
    );
    quoteResult.querySelector('dd')?.setAttribute('id', 'quote-points');
    lastQuote = { program: current.program, quote, orderId: input.order.id };
    renderExplanation();
  } catch (error) {
    if (error instanceof InputError) showLines(quoteResult, ['The order cannot be quoted:', ...error.errors.map((p) => `${p.pointer || '/'}: ${p.message}`)], 'bad');
    else showLines(quoteResult, [(error as Error).message], 'bad');
  }
});
languageSelect.addEventListener('change', renderExplanation);

// ---- backtest -------------------------------------------------------------------------------------------------
const ordersFile = element<HTMLInputElement>('orders-file');
const baselineFile = element<HTMLInputElement>('baseline-file');
const baselineStatus = element('baseline-status');
const progress = element<HTMLProgressElement>('backtest-progress');
const progressText = element('backtest-progress-text');
const backtestResult = element('backtest-result');
const runButton = element<HTMLButtonElement>('run-backtest');
let published: { text: string; from: string } | undefined;

function setPublished(text: string, from: string): void {
  published = { text, from };
  baselineStatus.className = 'status ok';
  baselineStatus.textContent = `Comparing with ${from}.`;
}

baselineFile.addEventListener('change', () => {
  const file = baselineFile.files?.[0];
  if (file) void file.text().then((text) => setPublished(text, `the program of ${file.name}`));
});
element('load-published').addEventListener('click', () => {
  void readPublishedProgram(keyInput.value.trim()).then((answer) => {
    if (answer.value) setPublished(JSON.stringify(answer.value.program), `the published program, version ${answer.value.version}`);
    else {
      baselineStatus.className = 'status bad';
      baselineStatus.textContent = `The published program could not be read: ${answer.problem.join('; ')}`;
    }
  });
});

function reportTable(report: SimulationReport, baseline: SimulationReport | undefined): HTMLTableElement {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const title of ['', 'This program', ...(baseline ? ['Published'] : [])]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const money = (value: string | null, r: SimulationReport) => (value === null ? 'no point value' : `${r.currency} ${value}`);
  const rows: Array<[string, (r: SimulationReport) => string]> = [
    ['Orders', (r) => String(r.orders)],
    ['Customers', (r) => String(r.customers)],
    ['Points on orders', (r) => String(r.points)],
    ['Points held at the end', (r) => String(r.flow.outstanding)],
    ['Liability', (r) => money(r.liability, r)],
    ['Reward rate', (r) => r.rewardRate ?? '—'],
  ];
  const body = table.createTBody();
  for (const [title, read] of rows) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = title;
    row.append(th);
    row.insertCell().textContent = read(report);
    if (baseline) row.insertCell().textContent = read(baseline);
  }
  return table;
}

// Started with the page and kept: a backtest runs with the network cut once the page has loaded.
const worker = new Worker('backtest-worker.js', { type: 'module' });
runButton.addEventListener('click', () => {
  const file = ordersFile.files?.[0];
  if (!file) {
    showLines(backtestResult, ['Choose an orders file first.'], 'bad');
    return;
  }
  if (!current) {
    showLines(backtestResult, ['Fix the program first: it has problems (see the list under the editor).'], 'bad');
    return;
  }
  runButton.disabled = true;
  progress.value = 0;
  progressText.textContent = 'Starting…';
  backtestResult.replaceChildren();
  worker.onmessage = (event: MessageEvent<BacktestMessage>) => {
    const message = event.data;
    if (message.type === 'progress') {
      progress.value = message.total === 0 ? 1 : message.done / message.total;
      progressText.textContent = `${message.records} records`;
      return;
    }
    runButton.disabled = false;
    if (message.type === 'failed') {
      progressText.textContent = 'Stopped.';
      showLines(backtestResult, [message.message], 'bad');
      return;
    }
    progress.value = 1;
    progressText.textContent = `Done: ${message.records} records.`;
    const parts: HTMLElement[] = [reportTable(message.report, message.baseline)];
    if (message.difference) {
      const liability = message.difference.liability;
      parts.push(
        definitionList([
          ['Points on orders vs published', `${message.difference.points >= 0 ? '+' : ''}${message.difference.points}`],
          ['Liability vs published', liability === null ? 'no point value' : `${liability.startsWith('-') ? '' : '+'}${liability} ${message.report.currency}`],
        ]),
      );
    }
    backtestResult.replaceChildren(...parts);
    backtestResult.dataset.done = 'true';
  };
  const request: BacktestRequest = { program: editor.text(), baseline: published?.text, orders: file, fileName: file.name };
  delete backtestResult.dataset.done;
  worker.postMessage(request);
});

// ---- publish --------------------------------------------------------------------------------------------------
const keyInput = element<HTMLInputElement>('api-key');
const publishStatus = element('publish-status');
keyInput.value = storedKey();
keyInput.addEventListener('change', () => storeKey(keyInput.value.trim()));
// A form, so Enter in the key's field publishes too; nothing is submitted to the server by the browser.
element<HTMLFormElement>('publish-form').addEventListener('submit', (event) => {
  event.preventDefault();
  storeKey(keyInput.value.trim());
  const text = editor.text();
  showLines(publishStatus, ['Publishing…']);
  void publishProgram(text, keyInput.value.trim()).then((answer) => {
    if (answer.value) {
      showLines(publishStatus, [`Published “${answer.value.id}” as version ${answer.value.version}.`], 'ok');
      setPublished(text, `the published program, version ${answer.value.version}`);
    } else showLines(publishStatus, ['Not published:', ...answer.problem], 'bad');
  });
});
