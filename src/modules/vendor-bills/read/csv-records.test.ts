import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type CsvRecord, CsvSplitter, CsvSyntaxError } from './csv-records.ts';

function splitAll(chunks: string[]): CsvRecord[] {
  const splitter = new CsvSplitter();
  const records = chunks.flatMap((chunk) => splitter.push(chunk));
  return [...records, ...splitter.push('', true)];
}

function field(text: string): string {
  return /[",\r\n]/.test(text) || text === '' ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Cuts the text at the given places: every chunk boundary a stream could produce. */
function cut(text: string, places: number[]): string[] {
  const sorted = [...new Set(places.map((place) => place % (text.length + 1)))].toSorted((a, b) => a - b);
  return [0, ...sorted].map((start, index) => text.slice(start, sorted[index] ?? text.length));
}

describe('splitting CSV text into records', () => {
  it('gives the same records and lines however the text is cut into chunks', () => {
    const value = fc.stringMatching(/^[a-z ,"\r\n.-]{0,12}$/);
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\r\n', '\n'),
        fc.array(fc.nat(), { maxLength: 10 }),
        (rows, newline, places) => {
          const text = rows.map((row) => row.map(field).join(',')).join(newline) + newline;
          let line = 1;
          const expected = rows.map((fields) => {
            const record = { fields, line };
            for (const value of fields) line += (value.match(/\r\n|\r|\n/g) ?? []).length;
            line += 1;
            return record;
          });
          assert.deepEqual(splitAll(cut(text, places)), expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('skips blank lines, counting them, and reads a last record without a line break', () => {
    assert.deepEqual(splitAll(['a,b\r\n\r\n', '\r\nc,"d\r\ne"\n\nf,']), [
      { fields: ['a', 'b'], line: 1 },
      { fields: ['c', 'd\r\ne'], line: 4 },
      { fields: ['f', ''], line: 7 },
    ]);
  });

  it('refuses a quoted field never closed, and text after a closing quote, naming the line', () => {
    assert.throws(
      () => splitAll(['a,b\n"open,', 'still open\n']),
      (error) => error instanceof CsvSyntaxError && error.line === 2 && /not closed/.test(error.message),
    );
    assert.throws(
      () => splitAll(['a,b\nc,"d"e\n']),
      (error) =>
        error instanceof CsvSyntaxError && error.line === 2 && /after its closing quote/.test(error.message),
    );
  });
});
