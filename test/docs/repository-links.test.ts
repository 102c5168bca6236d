/**
 * The repository stands alone: README.md and docs/ link only to files inside it (a clone has no ../shared), the
 * API's copy of the example program is the one in examples/, and the editor settings map program files to the
 * shipped schema.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'jsonc-parser';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : name.endsWith('.md') ? [path] : [];
    });
  return [join(root, 'README.md'), ...walk(join(root, 'docs'))];
}

describe('the repository stands alone', () => {
  it('has README.md and docs/ link only to files that exist inside the repository', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = readFileSync(file, 'utf8');
      if (text.includes('../shared')) broken.push(`${relative(root, file)}: mentions ../shared`);
      // The design papers beside the repository (SEMANTICS.md, DESIGN.md, API.md, CONVENTIONS.md) are not in a clone.
      for (const paper of text.match(/\b(SEMANTICS|DESIGN\.md|API\.md|CONVENTIONS\.md)\b/g) ?? []) broken.push(`${relative(root, file)}: mentions ${paper}`);
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (match[1] ?? '').split('#')[0] ?? '';
        if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const path = resolve(dirname(file), decodeURIComponent(target));
        if (relative(root, path).startsWith('..') || !existsSync(path)) broken.push(`${relative(root, file)}: ${target}`);
      }
    }
    expect(broken).to.deep.equal([]);
  });

  it("keeps the API's request-example program identical to examples/toko-aftercare.program.json", () => {
    const read = (path: string): string => readFileSync(join(root, path), 'utf8');
    expect(read('api/src/openapi/examples/toko-aftercare.program.json')).to.equal(read('examples/toko-aftercare.program.json'));
  });

  it('maps *.program.json to the shipped program schema in .vscode/settings.json', () => {
    const settings = parse(readFileSync(join(root, '.vscode/settings.json'), 'utf8')) as { 'json.schemas': Array<{ fileMatch: string[]; url: string }> };
    const entry = settings['json.schemas'].find((schema) => schema.fileMatch.includes('*.program.json'));
    expect(entry?.url).to.equal('./packages/rules/schema/program.schema.json');
    const schema = JSON.parse(readFileSync(join(root, entry?.url ?? ''), 'utf8')) as { title: string };
    expect(schema.title).to.equal('Purna loyalty program');
  });
});
