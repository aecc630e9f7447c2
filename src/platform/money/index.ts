export { allocate, split } from './allocation.ts';
export { isCurrency, minorUnits, parseCurrency } from './currencies.ts';
export type { Money, MoneyInputPlaces, RoundingMode } from './money.ts';
export { money, parseDecimal, roundingModes, sum } from './money.ts';
