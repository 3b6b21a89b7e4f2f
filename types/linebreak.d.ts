// Types for `linebreak` (foliojs, the UAX #14 line breaker pdfkit uses), which ships none.
declare module "linebreak" {
  /** A break opportunity before `position` (a UTF-16 index); `required` after a hard line break. */
  export type Break = { position: number; required: boolean };

  /** Walks the line break opportunities of a string, in order. */
  export default class LineBreaker {
    constructor(text: string);
    /** The next break opportunity, or null after the last. */
    nextBreak(): Break | null;
  }
}
