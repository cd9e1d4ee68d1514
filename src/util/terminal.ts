/**
 * Text bound for a terminal: C0 and C1 control characters (and DEL) made visible, so text from an
 * instrument, an export or a file name can never move the cursor, hide text, write the clipboard
 * (OSC 52), open a link (OSC 8) or restyle what follows. The one shared sanitiser: every writer that
 * puts outside text on a terminal calls it (instrument text in `instruments show` and `run`, report
 * text, messages, file names, `--errors -`).
 *
 * `\x1b` shows as the four characters `\x1b`; a line break is kept only where the caller says it is
 * layout (`lines: true`: a multi-line instrument text such as an intro); a lone CR never is.
 */

/** C0 controls except those kept, DEL, and C1 (U+0080–U+009F). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

function hex(ch: string): string {
  return '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
}

export interface VisibleOptions {
  /** Keep LF (the text's own paragraph breaks, laid out by the caller). Default false: `\x0a`. */
  lines?: boolean;
}

/** `s` with every control character written as `\xNN` (LF kept with `lines`). */
export function visible(s: string, o: VisibleOptions = {}): string {
  return s.replace(o.lines ? CONTROL_BUT_LF : CONTROL, hex);
}

/** Whether `s` holds a control character that `visible` would rewrite (LF allowed with `lines`). */
export function hasControl(s: string, o: VisibleOptions = {}): boolean {
  const re = o.lines ? CONTROL_BUT_LF : CONTROL;
  re.lastIndex = 0;
  const found = re.test(s);
  re.lastIndex = 0;
  return found;
}

/** The first control character of `s` as `\xNN`, for messages (undefined when there is none). */
export function firstControl(s: string, o: VisibleOptions = {}): string | undefined {
  const re = o.lines ? CONTROL_BUT_LF : CONTROL;
  re.lastIndex = 0;
  const m = re.exec(s);
  re.lastIndex = 0;
  return m ? hex(m[0]) : undefined;
}
