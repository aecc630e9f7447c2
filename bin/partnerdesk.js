#!/usr/bin/env node
// npm puts the pinned Node 24 first on PATH for npx and npm scripts; it runs the TypeScript directly.
import '../src/cli/main.ts';
