/**
 * The messages a single executable's main script (dist/sea/main.cjs) may need before the catalog
 * can be loaded: when a chunk inside it is missing or damaged, or an error escapes everything else.
 * Only that script carries them (src/io/sea-main.ts); en.ts spreads them, ja-sea.ts is their Japanese.
 */
export const enSea = {
  'sea.damaged': '{exe} is damaged ({detail}); replace it with a fresh copy (npm run package makes one)',
  'sea.failed': 'unexpected failure: {message}',
} as const;
