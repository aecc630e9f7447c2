import { defineConfig } from 'drizzle-kit';

// Every table lives in a `schema.ts` beside the code that owns it; migrations are generated into
// drizzle/ and committed (`npm run db:generate`).
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/platform/*/schema.ts', './src/modules/*/schema.ts'],
  out: './drizzle',
  casing: 'snake_case',
});
