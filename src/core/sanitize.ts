/**
 * Text for a person's terminal. Values from servers and files (an AWS error message, a device
 * ARN, a profile name) may hold escape sequences: an OSC 52 write to the clipboard, a screen
 * clear, a carriage return that overwrites what was printed before, or a bidirectional override
 * that shows text in another order than it is. Every human-readable line goes through here before
 * it is written; machine-readable output (export, credential-process, --json) does not, as it is
 * quoted by its own rules and must stay byte-exact. Pure, and small: the logger on the cached path
 * uses it.
 */

// C0 controls, DEL and C1 controls (U+009B is CSI to many terminals), the Unicode line and
// paragraph separators, and the bidirectional formatting characters
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEP_NL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return (
    NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}

/** One line for the terminal: every control character, line breaks included, shown escaped (ESC as \x1b). */
export function terminalLine(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Several lines for the terminal: line feeds kept, every other control character shown escaped. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_KEEP_NL, visible);
}

/**
 * A template tag for human-readable output: the text written in the source is kept, every value
 * put into it is made a safe single line. `human\`ARN: ${arn}\n\``.
 */
export function human(parts: TemplateStringsArray, ...values: unknown[]): string {
  let out = parts[0]!;
  for (let i = 0; i < values.length; i++) out += terminalLine(String(values[i])) + parts[i + 1]!;
  return out;
}
