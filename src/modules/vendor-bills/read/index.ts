/** Every form Microsoft delivers its bill in, read into CostLines; and the digest that tells deliveries apart. */
export { type CsvReadOptions, readCsvFile } from './csv.ts';
export { canonicalLine, createFingerprint, type Fingerprint, fingerprintLines } from './fingerprint.ts';
export {
  bodiesOf,
  type JsonReadOptions,
  type JsonRow,
  type Rows,
  readGraphExportRows,
  readV1LineItems,
} from './json.ts';
