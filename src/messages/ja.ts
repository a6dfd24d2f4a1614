/** Japanese: placeholder until the translation lands (the catalog test checks completeness). */
import { en } from './en.js';
import type { Catalog } from './index.js';

export const ja: Catalog = { ...en };
