/** The part of `linebreak` (UAX #14, no types of its own) that src/io/table.ts uses. */
declare module 'linebreak' {
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): { position: number; required: boolean } | null;
  }
}
