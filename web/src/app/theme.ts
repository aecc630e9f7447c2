import { createTheme } from '@mantine/core';

// Chinese pages put their own face first (lib/fonts.css); elsewhere Chinese text falls back to Noto Sans SC.
const fontFamily = "'Noto Sans', 'Noto Sans SC', sans-serif";

export const theme = createTheme({
  fontFamily,
  // Only weights 400 and 600 are bundled (lib/fonts.css, lib/fonts.ts).
  fontWeights: { regular: '400', medium: '600', bold: '600' },
  headings: { fontFamily, fontWeight: '600' },
});
