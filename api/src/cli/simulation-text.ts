/** The report of `purna simulate` as text a marketer reads in a terminal. */
import type { SimulationComparison, SimulationReport } from '@purna/rules';
import { grouped, percentOf, rounded2, signed, table } from './number-format.js';

/** What the command prints with --json (and what the text is made from). */
export interface SimulateOutput {
  readonly program: SimulationReport;
  readonly baseline?: SimulationReport;
  readonly difference?: Omit<SimulationComparison, 'candidate' | 'baseline'>;
  /** Records of the history, orders included. */
  readonly records: number;
  readonly skipped: { readonly count: number; readonly first: ReadonlyArray<{ line: number; message: string }> };
  /** The program's tier ids, lowest first. */
  readonly tierIds: readonly string[];
}

/** "limit-reached 12, no-event-rule 3". */
function reasons(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([code, n]) => `${code} ${grouped(n)}`)
    .join(', ');
}

function minus(n: number): string {
  return n === 0 ? '0' : `-${grouped(n)}`;
}

/** The points flow: issued, what took points away, and what is held at the end. */
function flowSection(r: SimulationReport): string[] {
  const f = r.flow;
  const by = f.issuedBy;
  const sources = [
    ['orders', by.orders],
    ['referrals', by.referrals],
    ['events', by.events],
    ['birthdays', by.birthdays],
    ['anniversaries', by.anniversaries],
    ['adjustments', by.adjustments],
  ] as const;
  const rows: string[][] = [['  issued', grouped(f.issued)]];
  for (const [name, n] of sources) if (n > 0 || name === 'orders') rows.push([`    from ${name}`, grouped(n)]);
  rows.push(
    ['  clawed back by returns', minus(f.clawedBack)],
    ['  referral rewards reversed', minus(f.reversed)],
    ['  redeemed', minus(f.redeemed)],
  );
  const rw = r.rewards;
  if (rw.points > 0) {
    rows.push(['    on discounts', minus(r.redemptions.points)], ['    on rewards', minus(rw.points)]);
    if (rw.refunded > 0) rows.push(['    given back by expired vouchers', `+${grouped(rw.refunded)}`]);
  }
  rows.push(['  expired', minus(f.expired)]);
  if (f.removed > 0) rows.push(['  removed by adjustments', minus(f.removed)]);
  rows.push(['  held at the end', grouped(f.outstanding)], [`    available / pending lots`, `${grouped(f.available)} / ${grouped(f.pending)}`]);
  if (f.debt > 0) rows.push(['  owed by customers (negative balances)', grouped(f.debt)]);
  return ['', `Where the points went (balances at ${r.until ?? 'the end'})`, table(rows)];
}

/** Returns, redemptions, events, birthdays, anniversaries, referrals and adjustments, each only when the history had some. */
function activitySection(r: SimulationReport): string[] {
  const out: string[] = [];
  const rows: string[][] = [];
  if (r.returns.count > 0) rows.push(['  returns', `${grouped(r.returns.count)} (${grouped(r.returns.full)} in full), ${grouped(r.returns.clawedBack)} points clawed back`]);
  const red = r.redemptions;
  if (red.accepted + red.refused > 0) {
    rows.push(['  redemptions', `${grouped(red.accepted)} accepted: ${grouped(red.points)} points for ${r.currency} ${rounded2(red.discount)} of discounts`]);
    if (red.refused > 0) rows.push(['', `${grouped(red.refused)} refused: ${reasons(red.refusedBy)}`]);
  }
  const ev = r.events;
  if (ev.count > 0) {
    rows.push(['  custom events', `${grouped(ev.count)}: ${grouped(ev.points)} points`]);
    for (const [id, t] of Object.entries(ev.byRule)) rows.push(['', `${id}: ${grouped(t.events)} events, ${grouped(t.points)} points`]);
    if (Object.keys(ev.zeroBy).length > 0) rows.push(['', `no points: ${reasons(ev.zeroBy)}`]);
  }
  for (const [name, b] of [['birthdays', r.birthdays], ['anniversaries', r.anniversaries]] as const) {
    if (b.granted > 0 || Object.keys(b.notDueBy).length > 0) {
      rows.push([`  ${name}`, `${grouped(b.granted)} granted: ${grouped(b.points)} points`]);
      if (Object.keys(b.notDueBy).length > 0) rows.push(['', `not due: ${reasons(b.notDueBy)}`]);
    }
  }
  const ref = r.referrals;
  if (ref.qualified > 0 || Object.keys(ref.notQualifiedBy).length > 0) {
    rows.push(['  referrals', `${grouped(ref.qualified)} qualified: ${grouped(ref.referrerPoints)} points to referrers, ${grouped(ref.refereePoints)} to referees; ${grouped(ref.reversed)} reversed`]);
    if (Object.keys(ref.notQualifiedBy).length > 0) rows.push(['', `did not qualify: ${reasons(ref.notQualifiedBy)}`]);
  }
  if (r.adjustments.count > 0) rows.push(['  adjustments', `${grouped(r.adjustments.count)}: +${grouped(r.adjustments.added)} / -${grouped(r.adjustments.removed)} points`]);
  if (rows.length > 0) out.push('', 'Activity', table(rows, 2));
  return out;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${grouped(n)} ${n === 1 ? one : many}`;
}

/** Rewards of the catalog redeemed, refused, their vouchers used and expired, and what those still open owe. */
function rewardsSection(r: SimulationReport): string[] {
  const rw = r.rewards;
  const uses = rw.used + Object.values(rw.useRefusedBy).reduce((sum, n) => sum + n, 0);
  if (rw.redeemed + rw.refused + uses === 0) return [];
  const rows: string[][] = [['  redeemed', `${grouped(rw.redeemed)}: ${grouped(rw.points)} points`]];
  for (const [id, t] of Object.entries(rw.byReward)) if (t.redeemed > 0) rows.push([`    ${id}`, `${grouped(t.redeemed)}: ${grouped(t.points)} points`]);
  if (rw.refused > 0) rows.push(['  refused', `${grouped(rw.refused)}: ${reasons(rw.refusedBy)}`]);
  if (uses > 0) rows.push(['  vouchers used', `${grouped(rw.used)}${rw.used === uses ? '' : `; refused: ${reasons(rw.useRefusedBy)}`}`]);
  if (rw.expired > 0) rows.push(['  vouchers expired unused', `${grouped(rw.expired)}${rw.refunded > 0 ? `, ${grouped(rw.refunded)} points given back` : ''}`]);
  const l = rw.liability;
  const k = l.byKind;
  const counted = [
    k.percent > 0 ? plural(k.percent, 'percent-off voucher') : '',
    k['free-shipping'] > 0 ? `${grouped(k['free-shipping'])} free shipping` : '',
    k.gift > 0 ? plural(k.gift, 'gift') : '',
  ].filter((part) => part !== '');
  rows.push(['  vouchers still open', `${grouped(l.open)}: ${r.currency} ${rounded2(l.value)} of money off (${plural(k.value, 'voucher')})${counted.length > 0 ? `, ${counted.join(', ')}` : ''}`]);
  return ['', `Rewards (vouchers open at ${r.until ?? 'the end'})`, table(rows, 2)];
}

/**
 * The whole report.
 *
 * @example
 * io.stdout.write(formatSimulation(output, 'program.json', 'current.json'));
 */
export function formatSimulation(output: SimulateOutput, programFile: string, baselineFile: string | undefined): string {
  const r = output.program;
  const money = (value: string | null) => (value === null ? 'n/a (no points.redemption.pointValue)' : `${r.currency} ${rounded2(value)}`);
  const out: string[] = [];
  const others = output.records - r.orders;
  out.push(`Program ${r.programId} (${programFile}) over ${grouped(r.orders)} orders${others > 0 ? ` and ${grouped(others)} other records` : ''} from ${grouped(r.customers)} customers`);
  if (r.from !== null) out.push(`  ${r.from} .. ${r.until ?? ''}`);
  out.push('');
  out.push(
    table([
      ['spend', `${r.currency} ${rounded2(r.spend)}`],
      ['points issued on orders', grouped(r.points)],
      ['points per unit spent', r.pointsPerSpend],
      ['point value', r.pointValue === null ? 'n/a' : `${r.currency} ${r.pointValue}`],
      ['liability (points held at the end × point value)', money(r.liability)],
      ['value issued, net of returns', money(r.issuedValue)],
      ['reward rate (value issued ÷ spend)', r.rewardRate === null ? 'n/a' : percentOf(r.rewardRate)],
    ]),
  );
  out.push(...flowSection(r));
  out.push('', 'Points by rule (exact shares after the tier multiplier)');
  const ruleRows: string[][] = [['rule', 'orders', 'points']];
  for (const [id, totals] of Object.entries(r.byRule)) ruleRows.push([`  ${id}`, grouped(totals.orders), rounded2(totals.points)]);
  ruleRows.push(['  (rounding)', '', rounded2(r.rounding)]);
  out.push(table(ruleRows));
  if (Object.keys(r.byTier).length > 0) {
    out.push('', 'By tier held before the order');
    const rows: string[][] = [['tier', 'orders', 'spend', 'points']];
    for (const [id, t] of Object.entries(r.byTier)) rows.push([`  ${id}`, grouped(t.orders), rounded2(t.spend), grouped(t.points)]);
    out.push(table(rows));
  }
  if (r.tierMovements.length > 0) {
    out.push('', 'Tier movements');
    out.push(table(r.tierMovements.map((m) => [`  ${m.from ?? 'none'} → ${m.to ?? 'none'}`, grouped(m.count)])));
  }
  if (Object.keys(r.tiersAtEnd).length > 0) {
    out.push('', `Customers by tier at ${r.until ?? 'the end'}`);
    out.push(table(Object.entries(r.tiersAtEnd).map(([id, n]) => [`  ${id}`, grouped(n)])));
  }
  const reached = new Set([...Object.keys(r.byTier), ...Object.keys(r.tiersAtEnd), ...r.tierMovements.map((m) => m.to ?? 'none')]);
  const neverReached = output.tierIds.filter((id) => !reached.has(id));
  if (r.orders > 0 && neverReached.length > 0) out.push('', `No customer reached ${neverReached.join(', ')} in this history.`);
  out.push(...activitySection(r));
  out.push(...rewardsSection(r));
  if (output.baseline && output.difference) {
    const b = output.baseline;
    const d = output.difference;
    out.push('', `Against the baseline ${b.programId} (${baselineFile ?? ''})`);
    out.push(
      table([
        ['', 'baseline', 'program', 'difference'],
        ['  points issued on orders', grouped(b.points), grouped(r.points), signed(d.points)],
        ['  points issued, all sources', grouped(b.flow.issued), grouped(r.flow.issued), signed(d.issued)],
        ['  points held at the end', grouped(b.flow.outstanding), grouped(r.flow.outstanding), signed(d.outstanding)],
        ['  liability', b.liability === null ? 'n/a' : rounded2(b.liability), r.liability === null ? 'n/a' : rounded2(r.liability), d.liability === null ? 'n/a' : signed(d.liability, 2)],
        ...Object.entries(d.byRule).map(([id, diff]) => [`  rule ${id}`, rounded2(b.byRule[id]?.points ?? '0'), rounded2(r.byRule[id]?.points ?? '0'), signed(diff, 2)]),
        ...Object.entries(d.tiersAtEnd).map(([id, diff]) => [`  customers at ${id}`, grouped(b.tiersAtEnd[id] ?? 0), grouped(r.tiersAtEnd[id] ?? 0), signed(diff)]),
      ]),
    );
  }
  if (output.skipped.count > 0) {
    out.push('', `Skipped ${grouped(output.skipped.count)} records that could not be decided:`);
    for (const s of output.skipped.first) out.push(`  line ${s.line}: ${s.message}`);
    if (output.skipped.count > output.skipped.first.length) out.push(`  ... and ${grouped(output.skipped.count - output.skipped.first.length)} more`);
  }
  return `${out.join('\n')}\n`;
}
