import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Which modules have filled this installation with demo data, so a restart does not do it twice. */
export const demoSeeds = pgTable('demo_seeds', {
  module: text('module').primaryKey(),
  seededAt: timestamp('seeded_at', { withTimezone: true }).notNull().defaultNow(),
});
