import { expect } from 'chai';
import { JsonDocument, JsonSyntaxError, pointerSegments } from '../../src/cli/json-document.js';

// Positions are counted by hand on the literal texts below: line 1 is the first line, column 1 its first character.
const PROGRAM = ['{', '  "id": "shop",', '  "earning": [', '    { "id": "base", "award": { "points": 5 } },', '    {', '      "id": "a/b~c"', '    }', '  ]', '}'].join('\n');

describe('cli: JSON pointer to line and column', () => {
  const doc = JsonDocument.parse(PROGRAM);

  it('answers the value as JSON.parse reads it', () => {
    expect(doc.value).to.deep.equal(JSON.parse(PROGRAM));
  });

  const cases: Array<[pointer: string, line: number, column: number, why: string]> = [
    ['', 1, 1, 'the document starts at the opening brace'],
    ['/id', 2, 3, 'a member is shown at its property name'],
    ['/earning', 3, 3, 'the "earning" key on line 3'],
    ['/earning/0', 4, 5, 'an array element is shown where it starts'],
    ['/earning/0/award/points', 4, 32, '4 spaces, then `{ "id": "base", "award": { ` is 27 characters: "points" starts at column 32'],
    ['/earning/1/id', 6, 7, 'second rule id, line 6 column 7'],
    ['/earning/1/name', 5, 5, 'a missing property falls back to its parent object'],
    ['/earning/7', 3, 3, 'an index past the end falls back to the list'],
  ];
  for (const [pointer, line, column, why] of cases) {
    it(`${JSON.stringify(pointer)} -> ${line}:${column} (${why})`, () => {
      expect(doc.positionOf(pointer)).to.include({ line, column });
    });
  }

  it('decodes ~1 and ~0 in pointers', () => {
    expect(pointerSegments('/a~1b/c~0d/0')).to.deep.equal(['a/b', 'c~d', '0']);
    expect(() => pointerSegments('id')).to.throw(/starts with "\/"/);
  });

  it('reports syntax errors with their position', () => {
    // Line 3 lacks the comma after "shop": the parser notices at the next property name, line 3 column 3.
    const broken = '{\n  "id": "shop"\n  "name": "x"\n}';
    const error = (() => {
      try {
        JsonDocument.parse(broken);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).to.be.instanceOf(JsonSyntaxError);
    const problem = (error as JsonSyntaxError).problems[0];
    expect(problem?.position).to.include({ line: 3, column: 3 });
    expect(problem?.message).to.equal('expected "," between values');
  });

  it('refuses comments and trailing commas, which JSON does not allow', () => {
    expect(() => JsonDocument.parse('{ "a": 1, }')).to.throw(JsonSyntaxError);
    expect(() => JsonDocument.parse('// note\n{}')).to.throw(JsonSyntaxError, /comments/);
    expect(() => JsonDocument.parse('')).to.throw(JsonSyntaxError);
  });

  it('counts CRLF line breaks as one', () => {
    const crlf = JsonDocument.parse('{\r\n  "a": {\r\n    "b": 1\r\n  }\r\n}');
    expect(crlf.positionOf('/a/b')).to.include({ line: 3, column: 5 });
  });
});
