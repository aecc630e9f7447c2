export type { AppContext, AppModule } from './context.ts';
export { resetDemoData, seedDemoData } from './demo.ts';
export { demoSeeds } from './schema.ts';
export { type RunningApp, type StartOptions, startApp } from './start.ts';
