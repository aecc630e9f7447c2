export { type CostLine, deliveryKeyOf, ImportFileError, type LineForm, type ServiceFamily } from './lines.ts';
