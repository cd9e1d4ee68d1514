/** `rapport run`: the custom Inquirer prompts, driven with @inquirer/testing. */
import { render as renderPrompt } from '@inquirer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { choicePrompt, enterPrompt, wrapText, type ChoicePromptConfig } from '../../src/survey/prompts.js';
import { messagesFor } from '../../src/survey/messages.js';

const m = messagesFor('en');

// Every prompt a test leaves unanswered must be settled before the test ends. Inquirer registers each
// prompt with signal-exit, so a prompt still pending when the worker process exits is rejected with
// ExitPromptError ("User force closed the prompt with 0 null") from the 'exit' handler; nobody awaits
// it then, and vitest reports an unhandled rejection and exits 1 although every test passed (seen
// when the worker's exit is slow, on a busy machine). So: track each render, cancel what is pending.
type Rendered = Awaited<ReturnType<typeof renderPrompt>>;
const pending = new Set<Rendered['answer']>();
const render: typeof renderPrompt = async (prompt, cfg, opts) => {
  const r = await renderPrompt(prompt, cfg, opts);
  pending.add(r.answer);
  r.answer.then(
    () => pending.delete(r.answer),
    () => pending.delete(r.answer),
  );
  return r;
};
afterEach(async () => {
  const left = [...pending];
  for (const a of left) a.cancel();
  await Promise.allSettled(left);
  pending.clear();
});
function config(over: Partial<ChoicePromptConfig> = {}): ChoicePromptConfig {
  return {
    heading: ['Mini test survey', 'Item 2 of 5 · Warmth'],
    question: 'The test doctor seems rushed with me.',
    options: [{ label: 'Disagree a lot' }, { label: 'Disagree a little' }, { label: 'Agree a little' }, { label: 'Agree a lot' }, { label: 'Prefer not to answer', missing: true }],
    canBack: true,
    canSkip: true,
    help: m.keysFancy(5, true),
    yourAnswer: m.yourAnswer,
    typed: m.typed,
    notAnOption: m.notAnOption,
    cannotBack: m.firstItem,
    ...over,
  };
}

// Keys are sent with events.keypress: events.type() also writes the text to the input, which readline
// decodes into a second keypress event for handlers that listen to keypresses directly.
describe('choice prompt', () => {
  it('shows progress, section, the question and numbered options with the missing code last; nothing highlighted', async () => {
    const { getScreen, events, answer } = await render(choicePrompt, config());
    expect(getScreen()).toBe(
      [
        'Mini test survey',
        'Item 2 of 5 · Warmth',
        '',
        'The test doctor seems rushed with me.',
        '',
        '  1. Disagree a lot',
        '  2. Disagree a little',
        '  3. Agree a little',
        '  4. Agree a lot',
        '  5. Prefer not to answer',
        '',
        '↑↓ move · 1–5 then Enter to choose · s skip · b or Backspace back',
      ].join('\n'),
    );
    // Enter with nothing chosen does nothing: no answer, the same screen.
    const before = getScreen();
    events.keypress('enter');
    events.keypress('enter');
    let settled = false;
    void answer.then(() => (settled = true), () => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    expect(getScreen()).toBe(before);
    events.keypress('down');
    expect(getScreen()).toMatch(/❯ 1\. Disagree a lot/);
    expect(getScreen()).toMatch(/Your choice: 1\. Disagree a lot \(press Enter\)/);
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ kind: 'choose', option: 0 });
  });

  it('arrow keys move the highlight and Enter chooses it (no wrap-around); the first arrow highlights option 1', async () => {
    const { getScreen, events, answer } = await render(choicePrompt, config());
    events.keypress('up');
    expect(getScreen()).toMatch(/❯ 1\. Disagree a lot/);
    events.keypress('down');
    events.keypress('down');
    events.keypress('down');
    events.keypress('up');
    expect(getScreen()).toMatch(/❯ 3\. Agree a little/);
    events.keypress('up');
    events.keypress('up');
    events.keypress('up');
    expect(getScreen()).toMatch(/❯ 1\. Disagree a lot/);
    for (let i = 0; i < 9; i++) events.keypress('down');
    expect(getScreen()).toMatch(/❯ 5\. Prefer not to answer/);
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ kind: 'choose', option: 4 });
  });

  it('typing a number then Enter chooses that option', async () => {
    const { getScreen, events, answer } = await render(choicePrompt, config());
    events.keypress('4');
    expect(getScreen()).toMatch(/❯ 4\. Agree a lot/);
    expect(getScreen()).toMatch(/Your choice: 4\. Agree a lot \(press Enter\)/);
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ kind: 'choose', option: 3 });
  });

  it('a number that is not an option is refused with a message; Backspace edits the typed number', async () => {
    const { getScreen, events, answer } = await render(choicePrompt, config());
    events.keypress('7');
    expect(getScreen()).toMatch(/"7" is not an option here; type a number from 1 to 5\./);
    events.keypress('enter');
    expect(getScreen()).toMatch(/"7" is not an option here/);
    events.keypress('1');
    events.keypress('2');
    expect(getScreen()).toMatch(/"12" is not an option here/);
    events.keypress('backspace');
    expect(getScreen()).toMatch(/Your choice: 1\. Disagree a lot /);
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ kind: 'choose', option: 0 });
  });

  it('b goes back; Backspace with nothing typed goes back; s skips', async () => {
    const r1 = await render(choicePrompt, config());
    r1.events.keypress('b');
    await expect(r1.answer).resolves.toEqual({ kind: 'back' });
    const r2 = await render(choicePrompt, config());
    r2.events.keypress('backspace');
    await expect(r2.answer).resolves.toEqual({ kind: 'back' });
    const r3 = await render(choicePrompt, config());
    r3.events.keypress('s');
    await expect(r3.answer).resolves.toEqual({ kind: 'skip' });
  });

  it('on the first item, back explains that there is nothing before; skip can be turned off', async () => {
    const { getScreen, events, answer } = await render(choicePrompt, config({ canBack: false, canSkip: false, help: m.keysFancy(5, false) }));
    events.keypress('b');
    expect(getScreen()).toMatch(/This is the first item; there is nothing before it\./);
    events.keypress('s');
    events.keypress('2');
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ kind: 'choose', option: 1 });
  });

  it('highlights and marks the answer already given', async () => {
    const { getScreen, events, answer } = await render(choicePrompt, config({ current: 2 }));
    expect(getScreen()).toMatch(/❯ 3\. Agree a little \(your answer\)/);
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ kind: 'choose', option: 2 });
  });

  it('Ctrl-C rejects with ExitPromptError', async () => {
    const { events, answer } = await render(choicePrompt, config());
    events.keypress({ name: 'c', ctrl: true });
    await expect(answer).rejects.toMatchObject({ name: 'ExitPromptError' });
  });

  it('Spanish interface words', async () => {
    const es = messagesFor('es');
    const { getScreen } = await render(choicePrompt, config({ help: es.keysFancy(5, true), typed: es.typed }));
    expect(getScreen()).toMatch(/1–5 y Enter para elegir · s omitir · b o Retroceso volver/);
  });
});

describe('word wrapping (Inquirer alone would cut words at the terminal edge)', () => {
  it('wraps at spaces within width - 1 columns, continuation lines indented', () => {
    expect(wrapText('In the last 12 months, have you used the portal?', 24)).toEqual(['In the last 12 months,', 'have you used the', 'portal?']);
    expect(wrapText('1. Neither agree nor disagree', 21, '   ')).toEqual(['1. Neither agree nor', '   disagree']);
    expect(wrapText('short', 80)).toEqual(['short']);
    expect(wrapText('a\nb c', 80)).toEqual(['a', 'b c']);
  });

  it('the item screen wraps question and options to the terminal width', async () => {
    const { getScreen } = await render(choicePrompt, config({ width: 30, heading: [], question: 'The test doctor seems rushed with me at every visit.', help: 'keys' }));
    expect(getScreen()).toBe(
      [
        'The test doctor seems rushed',
        'with me at every visit.',
        '',
        '  1. Disagree a lot',
        '  2. Disagree a little',
        '  3. Agree a little',
        '  4. Agree a lot',
        '  5. Prefer not to answer',
        '',
        'keys',
      ].join('\n'),
    );
    const r = await render(choicePrompt, config({ width: 24, heading: [], question: 'Q', current: 4, help: 'k' }));
    // 22 columns for the option text: the highlighted answer already given wraps under its label.
    expect(r.getScreen()).toContain('  4. Agree a lot\n❯ 5. Prefer not to\n     answer (your\n     answer)');
  });
});

describe('enter prompt', () => {
  it('waits for Enter and ignores other keys', async () => {
    const { getScreen, events, answer } = await render(enterPrompt, { lines: ['Next respondent: press Enter'], hint: '' });
    expect(getScreen()).toBe('Next respondent: press Enter');
    let done = false;
    void answer.then(() => (done = true));
    events.keypress('x');
    events.keypress('down');
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    events.keypress('enter');
    await expect(answer).resolves.toBeUndefined();
  });
});

describe('screens that fit the terminal', () => {
  it('wrapping counts display width: CJK and emoji take two columns, a CJK sentence breaks without spaces', () => {
    expect(wrapText('日本語の質問です。医師を信頼していますか。', 21)).toEqual(['日本語の質問です。医', '師を信頼していますか', '。']);
    for (const l of wrapText('😀😀😀😀😀😀😀😀😀😀😀😀 ok', 21)) expect([...l].reduce((w, ch) => w + (ch === ' ' || /[a-z]/.test(ch) ? 1 : 2), 0)).toBeLessThanOrEqual(20);
    expect(wrapText('Ça va très bien, merci beaucoup', 21)).toEqual(['Ça va très bien,', 'merci beaucoup']);
  });

  const many = (k: number) => Array.from({ length: k }, (_, i) => ({ label: `Option number ${i + 1}` }));

  it('at 40x10 the question keeps its start, options page around the highlight; PageDown moves a page', async () => {
    const question = 'I can count on my test doctor to put my health first, every single time.';
    const { getScreen, events, answer } = await render(
      choicePrompt,
      config({ question, options: many(12), size: () => ({ columns: 40, rows: 10 }) }),
    );
    const first = getScreen().split('\n');
    expect(first.length).toBeLessThanOrEqual(9);
    expect(first[0]).toBe('Item 2 of 5 · Warmth');
    expect(first[1]).toBe('I can count on my test doctor to put my');
    expect(first).toContain('   1. Option number 1');
    expect(first[first.length - 1]).toBe('↓ …');
    events.keypress('pagedown');
    const paged = getScreen().split('\n');
    expect(paged.length).toBeLessThanOrEqual(9);
    expect(paged[1]).toBe('I can count on my test doctor to put my');
    const hi = paged.find((l) => l.startsWith('❯'));
    expect(hi).toBeDefined();
    expect(paged).toContain('↑ …');
    const k = Number(/❯ +(\d+)\./.exec(hi!)![1]);
    expect(k).toBeGreaterThan(1);
    for (let i = 0; i < 20; i++) events.keypress('down');
    expect(getScreen().split('\n')).toContain('❯ 12. Option number 12');
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ kind: 'choose', option: 11 });
  });

  it('re-renders at the new size when the terminal is resized', async () => {
    let size = { columns: 80, rows: 40 };
    let fire: () => void = () => {};
    const { getScreen } = await render(
      choicePrompt,
      config({ question: 'The test doctor seems rushed with me at every single visit.', size: () => size, onResize: (fn) => ((fire = fn), () => undefined) }),
    );
    expect(getScreen()).toContain('The test doctor seems rushed with me at every single visit.');
    size = { columns: 30, rows: 40 };
    fire();
    await new Promise((r) => setImmediate(r));
    expect(getScreen()).toContain('The test doctor seems rushed\nwith me at every single\nvisit.');
  });

  it('a long text on a small screen shows from its start and scrolls with the arrows', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `Line ${i + 1} of the consent text.`);
    const { getScreen, events, answer } = await render(enterPrompt, { lines, hint: 'Press Enter to begin.', size: () => ({ columns: 40, rows: 10 }) });
    let s = getScreen().split('\n');
    expect(s[0]).toBe('Line 1 of the consent text.');
    expect(s).toContain('↓ …');
    expect(s[s.length - 1]).toBe('Press Enter to begin.');
    events.keypress('pagedown');
    events.keypress('pagedown');
    events.keypress('pagedown');
    s = getScreen().split('\n');
    expect(s[0]).toBe('↑ …');
    expect(s).toContain('Line 20 of the consent text.');
    events.keypress('enter');
    await expect(answer).resolves.toBeUndefined();
  });
});
