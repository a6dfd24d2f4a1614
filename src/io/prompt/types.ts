/** What a dialog driver is asked: everything already in the user's language. */
export interface PromptRequest {
  /** The window title: names aws-mfa and the profile. */
  title: string;
  /** The question, naming the device (and, after a wrong code, the reason first). */
  text: string;
}
/** A dialog driver: the code typed, or undefined when the user cancelled. Throws on a driver failure. */
export type AskDialog = (req: PromptRequest) => Promise<string | undefined>;
/** Shows an error the user must see (no terminal): resolves when dismissed or shown. */
export type ShowError = (req: PromptRequest) => Promise<void>;
